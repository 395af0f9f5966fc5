import {
  Avatar,
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import {
  AppsList20Regular,
  ClipboardTaskListLtr20Regular,
  Delete20Regular,
  DocumentBulletList20Regular,
  Home20Regular,
  Key20Regular,
  KeyMultiple20Regular,
  People20Regular,
  Person20Regular,
  PersonKey20Regular,
  SignOut20Regular,
  TextBulletListSquare20Regular,
} from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { useMeQuery } from '../data/auth/me-query';
import { useSignOutEverywhereMutation } from '../data/auth/sign-out-everywhere-mutation';
import { useSignOutMutation } from '../data/auth/sign-out-mutation';
import { ROLE_LABEL, canOf } from '../data/auth/use-can';
import { paths } from '../paths';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateRows: '48px 1fr',
    height: '100vh',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': {
      left: tokens.spacingHorizontalS,
      top: tokens.spacingVerticalS,
      zIndex: 10,
      backgroundColor: tokens.colorNeutralBackground1,
      padding: tokens.spacingHorizontalS,
    },
  },
  topBar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: {
    color: tokens.colorNeutralForegroundOnBrand,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
  },
  spacer: { flexGrow: 1 },
  accountText: { display: 'flex', flexDirection: 'column', lineHeight: '1.1', textAlign: 'right' },
  role: { fontSize: tokens.fontSizeBase100 },
  accountButton: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand },
    ':hover:active': { color: tokens.colorNeutralForegroundOnBrand },
    gap: tokens.spacingHorizontalS,
  },
  body: { display: 'grid', gridTemplateColumns: '220px 1fr', minHeight: 0 },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    paddingTop: tokens.spacingVerticalS,
    overflowY: 'auto',
  },
  navList: { listStyleType: 'none', margin: 0, padding: 0 },
  navLink: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    borderLeft: '3px solid transparent',
    ':hover': { backgroundColor: tokens.colorNeutralBackground2Hover },
  },
  navLinkActive: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    fontWeight: tokens.fontWeightSemibold,
  },
  navIcon: { display: 'inline-flex', color: tokens.colorBrandForeground1 },
  main: { overflowY: 'auto', minWidth: 0, outlineStyle: 'none' },
});

interface NavEntry {
  to: string;
  label: string;
  icon: ReactNode;
  end?: boolean;
  /** Portal accounts and API tokens: Administrators only; every role reads the other pages. */
  adminOnly?: boolean;
}

const NAV: NavEntry[] = [
  { to: paths.home, label: 'Overview', icon: <Home20Regular />, end: true },
  { to: paths.users, label: 'Users', icon: <Person20Regular /> },
  { to: paths.deletedUsers, label: 'Deleted users', icon: <Delete20Regular /> },
  { to: paths.extensionAttributes, label: 'Extension attributes', icon: <TextBulletListSquare20Regular /> },
  { to: paths.groups, label: 'Groups', icon: <People20Regular /> },
  { to: paths.applications, label: 'Enterprise applications', icon: <AppsList20Regular /> },
  { to: paths.provisioningLogs, label: 'Provisioning logs', icon: <DocumentBulletList20Regular /> },
  { to: paths.auditLogs, label: 'Audit logs', icon: <ClipboardTaskListLtr20Regular /> },
  { to: paths.accounts, label: 'Accounts', icon: <PersonKey20Regular />, adminOnly: true },
  { to: paths.tokens, label: 'API tokens', icon: <KeyMultiple20Regular />, adminOnly: true },
];

/** The signed-in frame: top bar, main navigation and the page. Sends anyone signed out to sign-in. */
export function AppShell() {
  const styles = useStyles();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMeQuery();
  const signOut = useSignOutMutation();
  const signOutEverywhere = useSignOutEverywhereMutation();
  const [changingPassword, setChangingPassword] = useState(false);
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  const toSignIn = () => void navigate(paths.signIn, { replace: true });

  if (me.isPending) return <LoadingState label="Loading Provisio…" />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const returnTo = `${location.pathname}${location.search}`;
      return (
        <Navigate
          to={returnTo === '/' ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(returnTo)}`}
          replace
        />
      );
    }
    return (
      <div style={{ padding: 24 }}>
        <ErrorState
          title="Provisio could not load your session"
          error={me.error}
          onRetry={() => void me.refetch()}
        />
      </div>
    );
  }

  const can = canOf(me.data.role);
  const roleLabel = ROLE_LABEL[me.data.role];
  return (
    <div className={styles.root}>
      <a href="#main" className={styles.skip}>
        Skip to main content
      </a>
      <header className={styles.topBar} role="banner">
        <Link to="/" className={styles.brand}>
          Provisio
        </Link>
        <span className={styles.spacer} />
        <Menu positioning="below-end">
          <MenuTrigger disableButtonEnhancement>
            <Button
              appearance="transparent"
              className={styles.accountButton}
              aria-label={`Account: ${me.data.userName}, ${roleLabel}`}
            >
              <span className={styles.accountText}>
                <Text weight="semibold" size={200}>
                  {me.data.userName}
                </Text>
                <span className={styles.role}>{roleLabel}</span>
              </span>
              <Avatar name={me.data.userName} size={28} color="colorful" aria-hidden />
            </Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem icon={<Key20Regular />} onClick={() => setChangingPassword(true)}>
                Change password
              </MenuItem>
              <MenuItem
                icon={<SignOut20Regular />}
                disabled={signOut.isPending}
                onClick={() => signOut.mutate(undefined, { onSuccess: toSignIn })}
              >
                Sign out
              </MenuItem>
              <MenuItem icon={<SignOut20Regular />} onClick={() => setConfirmEverywhere(true)}>
                Sign out everywhere
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </header>
      <div className={styles.body}>
        <nav aria-label="Main" className={styles.nav}>
          <ul className={styles.navList}>
            {NAV.filter((entry) => can.admin || !entry.adminOnly).map((entry) => (
              <li key={entry.to}>
                <NavLink
                  to={entry.to}
                  end={entry.end ?? false}
                  className={({ isActive }) => mergeClasses(styles.navLink, isActive && styles.navLinkActive)}
                >
                  <span className={styles.navIcon} aria-hidden>
                    {entry.icon}
                  </span>
                  {entry.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className={styles.main} tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)} />
      <ConfirmDialog
        open={confirmEverywhere}
        title="Sign out everywhere"
        busy={signOutEverywhere.isPending}
        onCancel={() => setConfirmEverywhere(false)}
        onConfirm={() =>
          signOutEverywhere.mutate(undefined, {
            onSuccess: toSignIn,
            onSettled: () => setConfirmEverywhere(false),
          })
        }
      >
        Every session of {me.data.userName} ends: in this browser and in every other browser or device where
        you are signed in. Do you want to sign out everywhere?
      </ConfirmDialog>
    </div>
  );
}
