import meow from 'meow';
import {configPath, loadConfig} from './config.js';
import {resolveEndpoints} from './daemon/contexts.js';
import type {SandboxMode} from './daemon/labels.js';
import {oneLine, UsageError, UserError} from './errors.js';
import {visible} from './output/visible.js';
import {parseDepth, parseDetachKeys, parseTimeout} from './options.js';
import {mark} from './trace.js';

const help = `
	Usage
	  $ dockerception                          the live tree of every nested daemon
	  $ dockerception tree                     print it once as text
	  $ dockerception --json                   print it once as JSON
	  $ dockerception exec PATH -- CMD...      run a command in a container at any depth
	  $ dockerception spawn --mode MODE        create a sandbox: dind, socket or sysbox
	  $ dockerception spawn --mode swarm       a swarm lab of DinD nodes (--nodes 3)
	  $ dockerception prune [--yes]            remove the sandboxes dockerception created
	  $ dockerception diff PATH_A PATH_B       compare docker info of two daemons
	  $ dockerception forward PATH             serve a nested daemon on a local socket
	  $ dockerception doctor [PATH]            what is wrong with each daemon, and the fix

	Where
	  --host, -H URL         daemon to start from (unix://, tcp://, ssh://)
	  --context NAME         Docker context to start from (repeatable: one tree each)
	  --all-contexts         one tree per Docker context
	  --depth N              daemon levels to walk below the host (default 4)
	  --timeout T            per-request timeout: seconds, or 500ms (default 5)
	  --tunnel-only          reach nested daemons only through exec tunnels, even as root
	                         on the daemon's host (where /proc/PID/root is the shortcut)
	  --no-color             no colours (NO_COLOR and FORCE_COLOR are honoured too)
	  --sandbox              start a private dockerd of dockerception's own and use it
	                         (needs root and dockerd; state in ~/.local/state/dockerception)
	  --demo                 with --sandbox: build a small nested tree in it to explore
	  --keep                 with --sandbox: leave the private dockerd running on quit

	exec
	  -t, --tty              allocate a TTY (for shells)
	  -i, --interactive      pass stdin to the command
	  --detach-keys KEYS     with -t -i: keys that detach (default ctrl-p,ctrl-q)

	spawn
	  --mode MODE            dind (default), socket, sysbox, or swarm
	  --nodes N              with --mode swarm: how many nodes (default 3; the first
	                         is the manager, the rest workers)
	  --copy IMAGE           with --mode swarm: copy an image from the daemon it is
	                         made on into every node (repeat, or comma-separated)
	  --on PATH              the daemon to create it on (default: the root)
	  --name NAME            container name (default: MODE-xxxx)
	  --image IMAGE          image (default: docker:dind, else --dind-image or config)
	  --dind-image IMAGE     DinD image when docker:dind is not available (also in
	                         ~/.config/dockerception/config.json as "dindImage")
	  --no-tls               official docker:dind: plain 2375 instead of TLS on 2376

	forward
	  --as-context NAME      also a Docker context NAME for it (removed on exit)

	prune
	  --yes                  do not ask before removing

	diff
	  --json                 {field: {a, b, note}} for the fields that differ
	  --all                  also the equal and the volatile fields (times, counters, IDs)
	  --components           add docker version: engine, containerd, runc, init
	  exit 0 when equal, 1 when different, 2 on error

	Paths are the ones --json and the status bar show: the root's name ("default" unless a
	context is used), then a container name per level, e.g. default/dind-b/dind-b1/box.

	Environment
	  DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH as for
	  the docker CLI, with the same precedence.

	Exit codes
	  0 ok (unreachable inner daemons are part of the output), 1 no daemon reachable or the
	  action failed, 2 bad usage; exec passes the command's own exit code through.

	Examples
	  $ dockerception
	  $ sudo dockerception --sandbox --demo
	  $ dockerception tree --depth 2
	  $ DOCKER_HOST=tcp://10.0.0.5:2375 dockerception --json | jq '.roots[0].containers[].name'
	  $ dockerception exec default/dind-b/dind-b1/web -- nginx -t
	  $ dockerception spawn --mode dind --on default/ci --name job-42
	  $ dockerception diff default default/ci
`;

// Everything after "--" belongs to exec's command, never to dockerception's flags.
const separator = process.argv.indexOf('--', 2);
const ownArgs = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const commandArgs = separator === -1 ? [] : process.argv.slice(separator + 1);

const flags = {
	host: {type: 'string', shortFlag: 'H'},
	context: {type: 'string', isMultiple: true},
	allContexts: {type: 'boolean', default: false},
	depth: {type: 'string'},
	timeout: {type: 'string'},
	json: {type: 'boolean', default: false},
	tunnelOnly: {type: 'boolean', default: false},
	color: {type: 'boolean', default: true},
	tty: {type: 'boolean', shortFlag: 't', default: false},
	interactive: {type: 'boolean', shortFlag: 'i', default: false},
	detachKeys: {type: 'string'},
	mode: {type: 'string'},
	asContext: {type: 'string'},
	nodes: {type: 'string'},
	copy: {type: 'string', isMultiple: true},
	on: {type: 'string'},
	name: {type: 'string'},
	image: {type: 'string'},
	dindImage: {type: 'string'},
	tls: {type: 'boolean', default: true},
	yes: {type: 'boolean', default: false},
	all: {type: 'boolean', default: false},
	components: {type: 'boolean', default: false},
	sandbox: {type: 'boolean', default: false},
	demo: {type: 'boolean', default: false},
	keep: {type: 'boolean', default: false},
} as const;

// Internal deprecation warnings (docker-modem builds ssh URLs Node calls deprecated) are not
// the user's business: one line per problem, and only ours.
process.noDeprecation = true;

// Only the URL: the bundle is a script, where the build defines import.meta.url alone.
const cli = meow(help, {importMeta: {url: import.meta.url} as ImportMeta, argv: ownArgs, allowUnknownFlags: true, flags});

// meow drops an empty value (`--name ""`): keep it, so it is refused rather than replaced.
for (const [index, arg] of ownArgs.entries()) {
	const flag = /^--([a-z-]+)(=?)$/.exec(arg);
	if (!flag) continue;
	const key = flag[1]!.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) as keyof typeof flags;
	if (flags[key]?.type !== 'string') continue;
	if (flag[2] === '=' || ownArgs[index + 1] === '') (cli.flags as Record<string, unknown>)[key] = '';
}

const commands = ['tree', 'exec', 'spawn', 'prune', 'diff', 'forward', 'doctor'] as const;
type Command = (typeof commands)[number];

const known = new Set<string>([
	...Object.keys(flags),
	...Object.keys(flags).map((flag) => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
	'H',
	't',
	'i',
	'help',
	'version',
	'no-color',
	'no-tls',
]);

/** meow's own message for an unknown flag takes two lines; this is one. */
function checkFlags(): void {
	for (const flag of Object.keys(cli.unnormalizedFlags)) {
		if (!known.has(flag)) {
			const written = flag.length === 1 ? `-${flag}` : `--${flag}`;
			throw new UsageError(`unknown flag ${written} (see --help)`);
		}
	}
}

async function main(): Promise<number> {
	checkFlags();
	const [command, ...rest] = cli.input;
	if (command !== undefined && !(commands as readonly string[]).includes(command)) {
		throw new UsageError(`unknown command "${command}" (commands: ${commands.join(', ')}; see --help)`);
	}
	const config = loadConfig();
	if ((cli.flags.demo || cli.flags.keep) && !cli.flags.sandbox) throw new UsageError('--demo and --keep go with --sandbox');
	if (cli.flags.sandbox && (cli.flags.host || cli.flags.context?.length || cli.flags.allContexts)) {
		throw new UsageError('--sandbox uses its own daemon: leave out --host and --context');
	}
	// Check the flags before a sandbox starts: bad input must not leave a daemon behind.
	const timeoutMs = parseTimeout(cli.flags.timeout);
	const maxDepth = parseDepth(cli.flags.depth);
	const detachKeys = parseDetachKeys(cli.flags.detachKeys ?? config.detachKeys);
	// The user's keys matter to the TUI only; they are checked before anything starts.
	if (command === undefined && !cli.flags.json && config.keys !== undefined) await checkKeymap(config.keys);
	const sandbox = cli.flags.sandbox ? await openSandbox(cli.flags.demo, cli.flags.keep) : undefined;
	const endpoints = sandbox
		? [sandbox.endpoint]
		: resolveEndpoints({
				...(cli.flags.host !== undefined ? {host: cli.flags.host} : {}),
				contexts: cli.flags.context ?? [],
				allContexts: cli.flags.allContexts,
			});
	try {
		return await runCommand(command as Command | undefined, rest, config, endpoints, {timeoutMs, maxDepth, detachKeys}, sandbox);
	} finally {
		if (sandbox && !cli.flags.keep) {
			process.stderr.write('dockerception: stopping the sandbox daemon…\n');
			await sandbox.stop();
		}
	}
}

/**
 * Load UI modules (Ink, React, the commands that draw dialogs) as the live view needs them.
 * Ink draws only a final frame when it thinks it runs in CI (CI=1), and chalk drops every
 * colour when CI is set at all (even CI=false). Here a person is looking at a terminal,
 * whatever the environment says: both decide once, at import, so CI is hidden only for that.
 */
async function loadUi<T>(load: () => Promise<T>): Promise<T> {
	const ciVariables = ['CI', 'CONTINUOUS_INTEGRATION'].map((key) => [key, process.env[key]] as const);
	for (const [key] of ciVariables) delete process.env[key];
	if (!cli.flags.color || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) process.env.FORCE_COLOR = '0';
	// Yoga (Ink's layout engine) loads its WebAssembly with fetch() from a data: URL when fetch
	// exists, which first loads Node's whole fetch implementation; without fetch it decodes the
	// same bytes directly, much sooner.
	// The descriptor, not the value: reading globalThis.fetch loads undici (17 ms).
	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	Reflect.deleteProperty(globalThis, 'fetch');
	try {
		return await load();
	} finally {
		if (fetch) Object.defineProperty(globalThis, 'fetch', fetch);
		for (const [key, value] of ciVariables) if (value !== undefined) process.env[key] = value;
	}
}

async function checkKeymap(keys: unknown): Promise<void> {
	const {Bindings, KeymapError} = await loadUi(() => import('./ui/commands/registry.js'));
	try {
		new Bindings(keys);
	} catch (error) {
		throw error instanceof KeymapError ? new UsageError(`${configPath()}: ${error.message}`) : error;
	}
}

/** Start (or reuse) the private daemon, showing each step; ctrl-c on the way stops it again. */
async function openSandbox(demo: boolean, keep: boolean) {
	const {startSandbox, progressLine} = await import('./private-daemon/sandbox-daemon.js');
	const tty = process.stderr.isTTY;
	let last = '';
	const progress = (step: string, done: number, total: number) => {
		const line = progressLine(step, done, total);
		if (line === last) return;
		last = line;
		process.stderr.write(tty ? `\r\u001B[2K${line}` : `${line}\n`);
	};
	let started: Awaited<ReturnType<typeof startSandbox>> | undefined;
	const interrupted = () => {
		if (started && !keep) void started.stop();
		process.stderr.write('\ndockerception: stopped while preparing the sandbox\n');
		process.exit(130);
	};
	process.once('SIGINT', interrupted);
	const begun = Date.now();
	try {
		started = await startSandbox({demo, progress});
		if (tty) process.stderr.write('\r\u001B[2K');
		process.stderr.write(
			`dockerception: sandbox ${started.daemon.reused ? 'reused' : 'started'} at ${started.daemon.host} in ${((Date.now() - begun) / 1000).toFixed(1)} s${keep ? ' (kept after quit)' : ''}\n`,
		);
		return started;
	} finally {
		process.off('SIGINT', interrupted);
	}
}

async function runCommand(
	command: Command | undefined,
	rest: string[],
	config: ReturnType<typeof loadConfig>,
	endpoints: ReturnType<typeof resolveEndpoints>,
	{timeoutMs, maxDepth, detachKeys}: {timeoutMs: number; maxDepth: number; detachKeys: string},
	sandbox: {stop(): Promise<void>} | undefined,
): Promise<number> {
	const common = {
		endpoints,
		timeoutMs,
		maxDepth,
		tunnelsOnly: cli.flags.tunnelOnly,
	};
	const extra = (expected: number) => {
		if (rest.length > expected) throw new UsageError(`unexpected argument "${rest[expected]}" (see --help)`);
	};
	switch (command as Command | undefined) {
		case 'tree': {
			extra(0);
			const {runTree} = await import('./commands/print.js');
			return runTree({...common, color: cli.flags.color});
		}
		case 'exec': {
			const path = rest[0];
			if (!path) throw new UsageError('exec needs a container path: dockerception exec PATH -- CMD...');
			extra(1);
			const {runExec} = await import('./commands/exec.js');
			return runExec({
				...common,
				path,
				cmd: commandArgs,
				tty: cli.flags.tty,
				interactive: cli.flags.interactive,
				detachKeys,
			});
		}
		case 'spawn': {
			extra(0);
			const mode = (cli.flags.mode ?? 'dind') as SandboxMode | 'swarm';
			if (!['dind', 'socket', 'sysbox', 'swarm'].includes(mode)) throw new UsageError(`--mode "${mode}": expected dind, socket, sysbox or swarm`);
			const {runSpawn, runSpawnSwarm} = await import('./commands/spawn.js');
			const image = cli.flags.image ?? (mode === 'socket' ? undefined : (cli.flags.dindImage ?? config.dindImage));
			if (mode === 'swarm') {
				const {nodeCountProblem} = await import('./daemon/swarm-lab.js');
				const problem = nodeCountProblem(cli.flags.nodes ?? '3');
				if (problem) throw new UsageError(`--nodes ${cli.flags.nodes}: ${problem}`);
				const nodes = Number(cli.flags.nodes ?? 3);
				return runSpawnSwarm({
					...common,
					nodes,
					copy: (cli.flags.copy ?? []).flatMap((item) => item.split(',')).filter(Boolean),
					...(cli.flags.on ? {on: cli.flags.on} : {}),
					...(cli.flags.name !== undefined ? {name: cli.flags.name} : {}),
					...(image ? {image} : {}),
					tls: cli.flags.tls,
				});
			}
			if (cli.flags.nodes !== undefined || cli.flags.copy?.length) throw new UsageError('--nodes and --copy go with --mode swarm');
			return runSpawn({
				...common,
				mode,
				...(cli.flags.on ? {on: cli.flags.on} : {}),
				...(cli.flags.name !== undefined ? {name: cli.flags.name} : {}),
				...(image ? {image} : {}),
				tls: cli.flags.tls,
			});
		}
		case 'prune': {
			extra(0);
			const {runPrune} = await import('./commands/prune.js');
			return runPrune({...common, yes: cli.flags.yes});
		}
		case 'doctor': {
			const [path] = rest;
			extra(path ? 1 : 0);
			const {runDoctor} = await import('./commands/print.js');
			return runDoctor({...common, color: cli.flags.color, ...(path ? {path} : {})});
		}
		case 'forward': {
			const [path] = rest;
			if (!path) throw new UsageError('forward needs a daemon path, e.g. dockerception forward default/dind-b/dind-b1');
			extra(1);
			const {runForward} = await import('./commands/forward.js');
			return runForward({...common, path, ...(cli.flags.asContext ? {context: cli.flags.asContext} : {})});
		}
		case 'diff': {
			const [a, b] = rest;
			if (!a || !b) throw new UsageError('diff needs two daemon paths, e.g. dockerception diff default default/dind-a');
			extra(2);
			const [{runDiff}, {colorEnabled, painter}] = await Promise.all([import('./commands/diff.js'), import('./output/colors.js')]);
			return runDiff({
				...common,
				a,
				b,
				json: cli.flags.json,
				all: cli.flags.all,
				components: cli.flags.components,
				paint: painter(colorEnabled(process.stdout, process.env, cli.flags.color)),
			});
		}
		case undefined:
			break;
	}
	if (cli.flags.json) {
		const {runJson} = await import('./commands/print.js');
		return runJson(common);
	}
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the live view needs a terminal; for scripts use `dockerception tree` or `--json`');
	}
	// Discovery starts first and runs while the UI's modules load.
	mark('main');
	const {startLiveSession} = await import('./session.js');
	const session = startLiveSession(common);
	void session.explorer.settled().then(() => mark('settled'));
	// The TUI's exit paths (signals included) stop the sandbox; the caller's finally finds it stopped.
	if (sandbox && !cli.flags.keep) session.onShutdown(() => sandbox.stop());
	const {runTui} = await loadUi(() => import('./ui/run-tui.js'));
	mark('ui-loaded');
	return runTui(session, {
		dindImage: cli.flags.dindImage ?? config.dindImage,
		detachKeys,
		keepSandbox: cli.flags.keep,
		...(config.keys ? {keys: config.keys} : {}),
	});
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (error instanceof UserError) {
			process.stderr.write(`dockerception: ${oneLine(error)}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		// A request the daemon refused is not a bug here: say what it said.
		const refusal = (error as {statusCode?: number; json?: {message?: string}} | undefined)?.json?.message;
		if (typeof refusal === 'string' && refusal) {
			process.stderr.write(`dockerception: the daemon refused: ${oneLine(refusal)}\n`);
			process.exitCode = 1;
			return;
		}
		process.stderr.write(`dockerception: unexpected error: ${oneLine(error)}\n`);
		// The stack's first line is the message: its controls made visible, its lines kept.
		if (process.env.DOCKERCEPTION_DEBUG) process.stderr.write(`${visible(String((error as Error)?.stack ?? ''), {lines: true})}\n`);
		process.exitCode = 1;
	},
);
