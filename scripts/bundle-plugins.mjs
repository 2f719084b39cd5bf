// esbuild plugins for the CLI bundle: what is left out, and the small patches to libraries
// that make the bundle one script and its first frame quick. Each patch checks that it applied
// and says so when a library has changed under it.
import {readFile} from 'node:fs/promises';
import {dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const empty = new URL('./bundle-empty.cjs', import.meta.url).pathname;

/** Module aliases of the CLI bundle (and of the big-tree bench, which measures its Ink). */
export const bundleAlias = {
	// Ink's width measuring, lazy and with a fast path for the tree's own characters.
	'string-width': './source/ui/string-width.ts',
	// Not used by dockerception: Ink's devtools, dockerode's BuildKit session (gRPC, protobuf).
	'react-devtools-core': empty,
	'@grpc/grpc-js': empty,
	'@grpc/proto-loader': empty,
	protobufjs: empty,
};

/**
 * Replace exact pieces of a library file as esbuild loads it. A piece that is not there any more
 * (the library changed) is a warning when the patch only saves time (the file is used as it is),
 * and stops the build when the bundle needs it.
 */
function patchFile(context, filter, replacements, {required, what}) {
	context.onLoad({filter}, async (args) => {
		let source = await readFile(args.path, 'utf8');
		for (const [from, to] of replacements) {
			const next = source.replace(from, to);
			if (next === source) {
				const message = `bundle: ${args.path} changed: ${what}`;
				if (required) throw new Error(message);
				console.warn(message);
				return undefined;
			}
			source = next;
		}
		return {contents: source, loader: 'js'};
	});
}

/**
 * ssh:// goes through the system ssh (source/daemon/ssh-transport.ts), never docker-modem's own
 * ssh agent: leave that agent, ssh2 and its native cpu-features out of the bundle.
 */
export const noModemSsh = {
	name: 'no-modem-ssh',
	setup(context) {
		context.onResolve({filter: /^\.\/ssh$/}, (args) => (args.importer.includes('docker-modem') ? {path: 'docker-modem-ssh', namespace: 'stub'} : undefined));
		context.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
			contents: "module.exports = function () { throw new Error('ssh:// is reached through the system ssh, not docker-modem'); };",
			loader: 'js',
		}));
	},
};
/**
 * docker-modem formats every request with util.inspect for its debug log before asking whether
 * that log is on: a few milliseconds of start-up for nothing. Ask first.
 */
export const quietModem = {
	name: 'quiet-modem',
	setup(context) {
		patchFile(context, /docker-modem[\\/]lib[\\/]modem\.js$/, [["debug('Sending: %s', util.inspect(", "debug.enabled && debug('Sending: %s', util.inspect("]], {
			what: 'its request logging is not skipped',
		});
	},
};
/**
 * meow evaluates normalize-package-data (and the SPDX licence tables behind it, ~10 ms) at
 * start-up, for `cli.pkg`, which dockerception never reads: evaluate it on first use instead.
 */
export const lazyNormalize = {
	name: 'lazy-normalize',
	setup(context) {
		patchFile(
			context,
			/meow[\\/]build[\\/]dependencies\.js$/,
			[
				[
					'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
					'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
				],
			],
			{what: 'normalize-package-data is loaded at start-up'},
		);
	},
};
/**
 * Yoga (Ink's layout engine) waits for its WebAssembly at module load (a top-level await), which
 * a script cannot do. Emscripten lets the caller instantiate the module: do it synchronously, from
 * the same embedded bytes, and Yoga is ready when its module returns.
 */
export const syncYoga = {
	name: 'sync-yoga',
	setup(context) {
		context.onLoad({filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, (args) => ({
			resolveDir: dirname(args.path),
			loader: 'js',
			contents: `import loadYoga from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const yoga = {
	instantiateWasm(imports, receive, dataUrl) {
		const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
		receive(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
		return {};
	},
};
loadYoga(yoga);
if (!yoga.asm) throw new Error('yoga-layout did not load synchronously');
export default wrapAssembly(yoga);
export * from './generated/YGEnums.js';
`,
		}));
		// Hand the embedded module (a data: URL) to instantiateWasm as well.
		patchFile(context, /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, [['h.instantiateWasm(d,\na)', 'h.instantiateWasm(d,a,H)']], {
			required: true,
			what: 'its WebAssembly cannot be loaded synchronously',
		});
	},
};
/**
 * Ink imports its devtools and its package.json with top-level awaits, only when DEV=true (React
 * devtools, which the bundle leaves out): without them the bundle can be one script.
 */
export const inkWithoutDevtools = {
	name: 'ink-without-devtools',
	setup(context) {
		patchFile(
			context,
			/ink[\\/]build[\\/]reconciler\.js$/,
			[
				["await import('./devtools.js');", 'void 0;'],
				['await loadPackageJson()', '{name: undefined, version: undefined}'],
			],
			{required: true, what: 'its reconciler may still await at load'},
		);
	},
};
/**
 * Ink builds every frame as a grid of styled characters and prints it back: per cell, an object
 * and an ANSI diff with its neighbour, and per written line a grapheme segmentation through ICU.
 * While the code is still cold that is most of the first frame. Same output, less work:
 * - a line made only of characters that never join their neighbours (ASCII, Latin, punctuation,
 *   arrows, box drawing, shapes, braille) is split per code point; any other line goes through
 *   Intl.Segmenter as before, created on first use (creating one costs ~10 ms);
 * - characters between two style changes share one styles array (a new one is made at every
 *   change), so equal neighbours skip the diff;
 * - Ink's Output is source/ui/ink-output.ts: its caches last from one frame to the next.
 */
export const fasterInkOutput = {
	name: 'faster-ink-output',
	setup(context) {
		const patch = (filter, replacements) => patchFile(context, filter, replacements, {what: 'a faster-ink-output patch is skipped'});
		patch(/@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, [
			[
				'const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });',
				`let segmenter;
function standalone(code) {
	return code < 0x80 ? code !== 0x0d : (code >= 0xa0 && code < 0x300) || (code >= 0x2010 && code < 0x2028) || (code >= 0x2030 && code < 0x2060) || (code >= 0x2070 && code < 0x20d0) || (code >= 0x2100 && code < 0x2c00);
}
function graphemes(str) {
	const simple = [];
	for (let index = 0; index < str.length; index++) {
		if (!standalone(str.charCodeAt(index))) return (segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(str);
		simple.push({ segment: str[index], index });
	}
	return simple;
}`,
			],
			['of segmenter.segment(str))', 'of graphemes(str))'],
		]);
		patch(/@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/, [
			['styles: [...codes],', 'styles: codes,'],
			[
				'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
				'if (chars[i - 1].styles !== char.styles) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
			],
			['ret += ansiCodesToString(diffAnsiCodes(char.styles, []));', 'if (char.styles.length > 0) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));'],
		]);
		// Ink's Output, with its caches kept from frame to frame (see the file): a port of Ink 6.8's,
		// so another Ink stops the build until the port is compared with it again.
		context.onResolve({filter: /^\.\/output\.js$/}, async (args) => {
			if (!/ink[\\/]build$/.test(args.resolveDir)) return undefined;
			const {version} = JSON.parse(await readFile(new URL('../package.json', `file://${args.resolveDir}/`), 'utf8'));
			if (!/^6\.8\./.test(version)) throw new Error(`bundle: source/ui/ink-output.ts is a port of Ink 6.8's Output, not ${version}'s: port it again`);
			return {path: fileURLToPath(new URL('../source/ui/ink-output.ts', import.meta.url))};
		});
		patch(/slice-ansi[\\/]tokenize-ansi\.js$/, [
			[
				"const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});",
				"let graphemeSegmenter;\nconst GRAPHEME_SEGMENTER = {segment: (string) => (graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'})).segment(string)};",
			],
		]);
	},
};
