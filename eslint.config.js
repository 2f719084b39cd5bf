// Lint rules that catch bugs (typescript-eslint's recommended set) and the rules of React hooks
// (a hook called conditionally, or an effect that reads stale values). Formatting is Prettier's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'test-results/', 'media/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		rules: {
			// A terminal app matches control characters on purpose (escape sequences, frames).
			'no-control-regex': 'off',
			// "Already gone" cleanups are empty catches on purpose.
			'no-empty': ['error', {allowEmptyCatch: true}],
		},
	},
	{
		files: ['**/*.{ts,tsx}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
		},
	},
	{
		files: ['**/*.{js,mjs,cjs}'],
		languageOptions: {
			globals: {
				performance: 'readonly',
				global: 'readonly',
				process: 'readonly',
				console: 'readonly',
				Buffer: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				setImmediate: 'readonly',
				URL: 'readonly',
				AbortController: 'readonly',
				AbortSignal: 'readonly',
				require: 'readonly',
				module: 'writable',
				__dirname: 'readonly',
			},
		},
	},
);
