import type {ContainerKind, ContainerState, DaemonStatus} from '../store/model.js';

/** UTF-8 unless the locale says otherwise (then ASCII, so nothing turns into mojibake). */
export function supportsUnicode(env: NodeJS.ProcessEnv = process.env): boolean {
	if (env.DOCKERCEPTION_ASCII === '1') return false;
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
	if (locale === '') return process.platform !== 'win32' || Boolean(env.WT_SESSION);
	return /utf-?8/i.test(locale);
}

export interface GlyphSet {
	running: string;
	paused: string;
	stopped: string;
	unreachable: string;
	expanded: string;
	collapsed: string;
	tee: string;
	elbow: string;
	pipe: string;
	blank: string;
	shares: string;
	/** A client container: the daemon its DOCKER_HOST reaches. */
	client: string;
	dot: string;
	warning: string;
}

export const unicodeGlyphs: GlyphSet = {
	running: '●',
	paused: '◐',
	stopped: '○',
	unreachable: '✕',
	expanded: '▾',
	collapsed: '▸',
	tee: '├─ ',
	elbow: '└─ ',
	pipe: '│  ',
	blank: '   ',
	shares: '⇢',
	client: '→',
	dot: '·',
	warning: '⚠',
};

export const asciiGlyphs: GlyphSet = {
	running: '*',
	paused: '~',
	stopped: 'o',
	unreachable: 'x',
	expanded: 'v',
	collapsed: '>',
	tee: '|- ',
	elbow: '`- ',
	pipe: '|  ',
	blank: '   ',
	shares: '->',
	client: '=>',
	dot: '-',
	warning: '!',
};

export function glyphs(env: NodeJS.ProcessEnv = process.env): GlyphSet {
	return supportsUnicode(env) ? unicodeGlyphs : asciiGlyphs;
}

export type Tone = 'green' | 'yellow' | 'gray' | 'red' | 'cyan' | 'magenta' | 'blue';

export function stateGlyph(state: ContainerState, set: GlyphSet): {glyph: string; tone: Tone} {
	switch (state) {
		case 'running':
			return {glyph: set.running, tone: 'green'};
		case 'paused':
		case 'restarting':
			return {glyph: set.paused, tone: 'yellow'};
		case 'dead':
			return {glyph: set.unreachable, tone: 'red'};
		default:
			return {glyph: set.stopped, tone: 'gray'};
	}
}

export function daemonGlyph(status: DaemonStatus, set: GlyphSet): {glyph: string; tone: Tone} {
	switch (status) {
		case 'ready':
			return {glyph: set.running, tone: 'green'};
		case 'connecting':
			return {glyph: set.paused, tone: 'yellow'};
		case 'unreachable':
			return {glyph: set.unreachable, tone: 'red'};
	}
}

export const kindBadge: Record<ContainerKind, string> = {
	dind: 'DinD',
	sysbox: 'sysbox',
	socket: 'socket',
	client: 'client',
	plain: '',
};
