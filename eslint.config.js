// ESLint flat config. The import rule is the folder rule from the design: only the Electron
// shell may load electron, electron-store or electron-log at run time, because importing them
// in plain Node tries to download Electron and throws.
import tseslint from 'typescript-eslint';

const ELECTRON_ONLY_MODULES = ['electron', 'electron-store', 'electron-log', 'electron-log/*'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'release/', 'test-output/', 'docs/', 'renderer/vendor/'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.cts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // With verbatimModuleSyntax, `import { type X } from 'electron'` still loads the module.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ELECTRON_ONLY_MODULES.filter((name) => !name.includes('*')).map((name) => ({
            name,
            message: `Import ${name} at run time only in main/index.ts or main/shell/. Use "import type" elsewhere.`,
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ['electron-log/*'],
              message: 'Import electron-log only in main/shell/.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/index.ts', 'main/shell/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  },
  {
    files: ['preload/**/*.cts'],
    rules: {
      // The sandboxed preload may require('electron') for contextBridge and ipcRenderer.
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  },
);
