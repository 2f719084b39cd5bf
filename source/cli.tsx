#!/usr/bin/env node
import meow from 'meow';
import {resolveEndpoints} from './daemon/contexts.js';
import {oneLine, UsageError, UserError} from './errors.js';
import {parseDepth, parseTimeout} from './options.js';
import {runTree, runJson} from './commands/print.js';
import {startLiveSession} from './session.js';
import {mark} from './trace.js';

const cli = meow(
	`
	Usage
	  $ dockerception              open the live tree of every nested daemon
	  $ dockerception tree         print it once as text
	  $ dockerception --json       print it once as JSON

	Options
	  --host, -H URL         daemon to start from (unix://, tcp://, ssh://)
	  --context NAME         Docker context to start from (repeatable: one tree each)
	  --all-contexts         one tree per Docker context
	  --depth N              how many daemon levels to walk below the host (default 4)
	  --timeout T            per-request timeout, seconds or 500ms (default 5)
	  --tunnel-only          reach nested daemons only through exec tunnels, even as root
	                         on the daemon's host (where /proc/PID/root is the shortcut)
	  --json                 print a JSON snapshot and exit
	  --no-color             no colours (NO_COLOR and FORCE_COLOR are honoured too)
	  --version              print the version
	  --help                 print this help

	Environment
	  DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH as for the
	  docker CLI, with the same precedence.

	Exit codes
	  0 ok (unreachable inner daemons are part of the output), 1 no daemon reachable, 2 bad usage

	Examples
	  $ dockerception
	  $ dockerception tree --depth 2
	  $ DOCKER_HOST=tcp://10.0.0.5:2375 dockerception --json | jq '.roots[0].containers[].name'
	  $ dockerception --context ci --context lab
`,
	{
		importMeta: import.meta,
		allowUnknownFlags: false,
		flags: {
			host: {type: 'string', shortFlag: 'H'},
			context: {type: 'string', isMultiple: true},
			allContexts: {type: 'boolean', default: false},
			depth: {type: 'string'},
			timeout: {type: 'string'},
			json: {type: 'boolean', default: false},
			tunnelOnly: {type: 'boolean', default: false},
			color: {type: 'boolean', default: true},
		},
	},
);

const commands = ['tree'] as const;

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	if (command !== undefined && !(commands as readonly string[]).includes(command)) {
		throw new UsageError(`unknown command "${command}" (commands: ${commands.join(', ')}; see --help)`);
	}
	if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" (see --help)`);
	const endpoints = resolveEndpoints({
		...(cli.flags.host !== undefined ? {host: cli.flags.host} : {}),
		contexts: cli.flags.context ?? [],
		allContexts: cli.flags.allContexts,
	});
	const common = {
		endpoints,
		timeoutMs: parseTimeout(cli.flags.timeout),
		maxDepth: parseDepth(cli.flags.depth),
		tunnelsOnly: cli.flags.tunnelOnly,
	};
	if (cli.flags.json) return runJson(common);
	if (command === 'tree') return runTree({...common, color: cli.flags.color});
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		throw new UsageError('the live view needs a terminal; for scripts use `dockerception tree` or `--json`');
	}
	// Discovery starts first and runs while the UI's modules load.
	mark('main');
	const session = startLiveSession(common);
	void session.explorer.settled().then(() => mark('settled'));
	// Before chalk loads: it decides on colours once, at import.
	if (!cli.flags.color || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) process.env.FORCE_COLOR = '0';
	const {runTui} = await import('./ui/run-tui.js');
	mark('ui-loaded');
	return runTui(session);
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
		process.stderr.write(`dockerception: unexpected error: ${oneLine(error)}\n`);
		if (process.env.DOCKERCEPTION_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
		process.exitCode = 1;
	},
);
