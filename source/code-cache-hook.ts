export type CodeCacheKind = 'tui' | 'any';

/**
 * Where the launcher (source/launcher.ts) and the bundle it runs meet: the launcher sets `save`,
 * the TUI calls it a second after discovery settles (its first full frame drawn by then). Kept
 * on globalThis because the launcher and the bundle are two separate builds with a copy of this
 * module each; run from tsc's output (tests), nothing sets it and saving does nothing.
 */
export const codeCacheHook: {save: (kind: CodeCacheKind) => void} = ((globalThis as Record<symbol, unknown>)[Symbol.for('dockerception.codeCache')] ??= {
	save: () => {},
}) as {save: (kind: CodeCacheKind) => void};
