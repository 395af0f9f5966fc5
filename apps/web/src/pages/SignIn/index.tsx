import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { signInRequestSchema } from '@provisio/contracts';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useMeQuery } from '../../data/auth/me-query';
import { useSignInMutation } from '../../data/auth/sign-in-mutation';
import { fieldErrors } from '../../lib/validation';
import { safeReturnTo } from '../../paths';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  card: { width: '400px', maxWidth: 'calc(100vw - 32px)', padding: tokens.spacingHorizontalXXL },
  brand: {
    color: tokens.colorBrandForeground1,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase500,
  },
  title: {
    margin: `${tokens.spacingVerticalS} 0 0`,
    fontSize: tokens.fontSizeBase500,
    fontWeight: tokens.fontWeightSemibold,
  },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', justifyContent: 'flex-end' },
});

/** Sign-in with a Provisio account (Administrator, Application Administrator or Reports Reader). */
export function SignInPage() {
  const styles = useStyles();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnTo(searchParams.get('returnTo'));
  const me = useMeQuery();
  const signIn = useSignInMutation();
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ userName?: boolean; password?: boolean }>({});

  // Already signed in (e.g. the back button): continue where the user wanted to go.
  if (me.isSuccess) return <Navigate to={returnTo} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { userName: userName.trim(), password };
    const errors = fieldErrors(signInRequestSchema, body);
    setMissing({ userName: Boolean(errors['userName']), password: Boolean(errors['password']) });
    if (Object.keys(errors).length > 0) return;
    signIn.mutate(body, { onSuccess: () => void navigate(returnTo, { replace: true }) });
  };

  return (
    <main className={styles.root}>
      <Card className={styles.card}>
        <div>
          <div className={styles.brand}>Provisio</div>
          <h1 className={styles.title}>Sign in</h1>
          <Text>to manage provisioning of users and groups to your applications</Text>
        </div>
        <form className={styles.form} onSubmit={submit} noValidate aria-label="Sign in">
          {signIn.isError ? (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>{errorMessage(signIn.error)}</MessageBarBody>
            </MessageBar>
          ) : null}
          <Field
            label="User name"
            required
            validationMessage={missing.userName ? 'Enter your user name.' : undefined}
          >
            <Input
              value={userName}
              onChange={(_e, data) => setUserName(data.value)}
              autoComplete="username"
              autoFocus
            />
          </Field>
          <Field
            label="Password"
            required
            validationMessage={missing.password ? 'Enter your password.' : undefined}
          >
            <Input
              type="password"
              value={password}
              onChange={(_e, data) => setPassword(data.value)}
              autoComplete="current-password"
            />
          </Field>
          <div className={styles.actions}>
            <Button
              type="submit"
              appearance="primary"
              disabled={signIn.isPending}
              icon={signIn.isPending ? <Spinner size="tiny" /> : undefined}
            >
              Sign in
            </Button>
          </div>
        </form>
      </Card>
    </main>
  );
}
