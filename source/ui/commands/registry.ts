import type {Key} from 'ink';
import {keyMatches, keySpecProblem, shownKey} from '../key-spec.js';
import type {Command} from './command.js';
import {containerCommands} from './container-commands.js';
import {errorText} from './context.js';
import {daemonCommands} from './daemon-commands.js';
import {sandboxCommands} from './sandbox-commands.js';
import {moveCommands, viewCommands} from './view-commands.js';

/** `S` on the screen that says no daemon answers: a private daemon to look at instead. */
const startSandboxDaemon: Command = {
	name: 'sandbox-daemon',
	keys: ['S'],
	help: 'start a private daemon (when none answers)',
	group: 'Act',
	async run(context) {
		const tree = context.tree();
		const nothingReachable = tree.roots.length > 0 && tree.roots.every((path) => tree.daemons[path]?.status === 'unreachable');
		const {controller} = context;
		if (!nothingReachable || !controller.startSandbox || controller.sandboxProblem) return;
		context.say('starting a private sandbox daemon…');
		try {
			context.say(await controller.startSandbox(), 'success');
		} catch (error) {
			context.say(`sandbox: ${errorText(error)}`, 'error');
		}
	},
};

/** Every command, in the order help lists them. */
export const allCommands: readonly Command[] = [
	...moveCommands,
	...viewCommands,
	...sandboxCommands,
	...containerCommands,
	...daemonCommands,
	startSandboxDaemon,
];

/** The status bar's hints, by command name: all of them when wide, the essentials when narrow. */
const wideHints = ['spawn', 'mode', 'shell', 'logs', 'diff', 'filter', 'details', 'help', 'quit'];
const narrowHints = ['details', 'filter', 'help', 'quit'];

/** The user's keys (`"keys": {"logs": "L"}` in config.json): a command's keys replaced. */
export type UserKeys = Record<string, string | string[]>;

/** A keymap that cannot be used: one line for the user, exit 2. */
export class KeymapError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KeymapError';
	}
}

/** The commands with the keys they answer to here; what dispatch, help, hints and `:` read. */
export class Bindings {
	readonly commands: readonly Command[];

	constructor(given: unknown = {}) {
		const isKeys = (entry: unknown) => typeof entry === 'string' || (Array.isArray(entry) && entry.every((key) => typeof key === 'string'));
		if (typeof given !== 'object' || given === null || Array.isArray(given) || !Object.values(given).every(isKeys)) {
			throw new KeymapError('"keys" maps command names to a key or a list of keys, e.g. {"logs": "L"}');
		}
		const userKeys = given as UserKeys;
		for (const [name, keys] of Object.entries(userKeys)) {
			if (!allCommands.some((command) => command.name === name))
				throw new KeymapError(`keys: no command "${name}" (commands: ${allCommands.map((c) => c.name).join(', ')})`);
			for (const spec of [keys].flat()) {
				const problem = keySpecProblem(spec);
				if (problem) throw new KeymapError(`keys: ${name}: ${problem}`);
			}
		}
		this.commands = allCommands.map((command) => (userKeys[command.name] === undefined ? command : {...command, keys: [userKeys[command.name]!].flat()}));
		const owner = new Map<string, string>();
		for (const command of this.commands) {
			for (const spec of command.keys) {
				const other = owner.get(spec);
				if (other) throw new KeymapError(`keys: "${spec}" is bound to both ${other} and ${command.name}`);
				owner.set(spec, command.name);
			}
		}
	}

	/** The command a key press runs, if any. */
	forKey(input: string, key: Key): Command | undefined {
		return this.commands.find((command) => command.keys.some((spec) => keyMatches(spec, input, key)));
	}

	byName(name: string): Command | undefined {
		return this.commands.find((command) => command.name === name);
	}

	/** "n new · m mode · …": the hints for the status bar. */
	hints(wide: boolean): string {
		return (wide ? wideHints : narrowHints)
			.map((name) => this.byName(name))
			.filter((command): command is Command => command !== undefined && command.keys.length > 0)
			.map((command) => `${shownKey(command.keys[0]!)} ${command.hint ?? command.name}`)
			.join(' · ');
	}

	/** What the `:` line can become from `text`: command names, then a command's words. */
	completions(text: string): Array<{text: string; keys: string; help: string}> {
		const [name = '', ...args] = text.trimStart().split(/\s+/);
		if (args.length === 0) {
			return this.commands
				.filter((command) => command.name.startsWith(name))
				.map((command) => ({text: command.name, keys: shownKeys(command), help: command.help}));
		}
		const command = this.byName(name);
		if (!command?.args || args.length > 1) return [];
		return command.args
			.filter((arg) => arg.startsWith(args[0]!))
			.map((arg) => ({text: `${command.name} ${arg}`, keys: shownKeys(command), help: command.help}));
	}
}

/** A command's keys as help shows them: "↑ k", "q ctrl-c". */
export function shownKeys(command: Command): string {
	return command.keys.map(shownKey).join(' ');
}

/** `:name word …` split; an empty line is nothing to run. */
export function parseCommandLine(text: string): {name: string; args: string[]} | undefined {
	const [name, ...args] = text.trim().split(/\s+/);
	return name ? {name, args} : undefined;
}
