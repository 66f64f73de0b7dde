import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The rules a module's text breaks, as if it stood at `filePath`. */
async function rulesBroken(text: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('the import boundaries', () => {
  it('keeps every feature out of every other, activity included', async () => {
    expect(await rulesBroken("export { activityKeys } from '../../activity/api/activity-queries';\n", 'src/features/access-tokens/api/probe.ts')).toContain(
      'import-x/no-restricted-paths',
    );
    expect(await rulesBroken("export * from '../../access-tokens/api/access-token-keys';\n", 'src/features/activity/api/probe.ts')).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('lets a feature import its own modules', async () => {
    expect(await rulesBroken("export { activityKeys } from './activity-queries';\n", 'src/features/activity/api/probe.ts')).not.toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('keeps the service to the contract, and the console away from the service', async () => {
    expect(await rulesBroken("export { openSqliteTokenStore } from '../server/storage/sqlite-token-store';\n", 'service/probe.ts')).toContain(
      'import-x/no-restricted-paths',
    );
    expect(await rulesBroken("export { toSummary } from '../../service/access-token-service';\n", 'src/lib/probe.ts')).toContain(
      'import-x/no-restricted-paths',
    );
    expect(await rulesBroken("export { toSummary } from '../service/access-token-service';\n", 'mocks/probe.ts')).not.toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('refuses an import cycle', async () => {
    // navigation.tsx is imported by use-leave-guard.ts: importing it back closes a loop.
    const text = "import { useLeaveGuard } from './use-leave-guard';\n\nexport const probe = useLeaveGuard;\n";
    expect(await rulesBroken(text, 'src/components/navigation.tsx')).toContain('import-x/no-cycle');
  });
});
