import { makeStyles, tokens } from '@fluentui/react-components';
import { BookOpen20Regular } from '@fluentui/react-icons';
import { Link } from 'react-router';
import { paths } from '../../paths';

const useStyles = makeStyles({
  row: {
    display: 'flex',
    justifyContent: 'flex-end',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXXL} 0`,
  },
  link: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorBrandForegroundLink,
    textDecorationLine: 'none',
    ':hover': { textDecorationLine: 'underline' },
  },
});

/** One click from Provisioning to the setup tutorial of the application's template. */
export function SetupTutorialLink({ servicePrincipalId }: { servicePrincipalId: string }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Link to={paths.setupTutorial(servicePrincipalId)} className={styles.link}>
        <BookOpen20Regular aria-hidden />
        Setup tutorial
      </Link>
    </div>
  );
}
