import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as designTokens from '@cloudscape-design/design-tokens';
import { describe, expect, it } from 'vitest';

describe('the expiry calendar theme', () => {
  it('uses design tokens whose CSS variables the installed Cloudscape components define', () => {
    // The two packages are released in pairs; a mismatched pair leaves the calendar light in dark mode.
    const require = createRequire(import.meta.url);
    const componentsDir = dirname(require.resolve('@cloudscape-design/components/package.json'));
    const componentTokens = readFileSync(join(componentsDir, 'internal/generated/styles/tokens.js'), 'utf8');
    for (const token of [designTokens.colorTextAccent, designTokens.colorTextBodyDefault]) {
      expect(componentTokens).toContain(token);
    }
  });
});
