import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {UsageError} from './errors.js';

/** Settings a user keeps between runs: $XDG_CONFIG_HOME/dockerception/config.json. */
export interface Config {
	/** Image for DinD and sysbox sandboxes when docker:dind is not wanted or not available. */
	dindImage?: string;
	/** Detach sequence for shells and attach, as Docker's --detach-keys. */
	detachKeys?: string;
	/** The user's keys: command name -> a key or a list of keys ({"logs": "L"}); checked by the TUI, which alone uses them. */
	keys?: unknown;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'dockerception', 'config.json');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const file = configPath(env);
	if (!existsSync(file)) return {};
	try {
		const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		return {
			...(typeof parsed.dindImage === 'string' ? {dindImage: parsed.dindImage} : {}),
			...(typeof parsed.detachKeys === 'string' ? {detachKeys: parsed.detachKeys} : {}),
			...(parsed.keys !== undefined ? {keys: parsed.keys} : {}),
		};
	} catch (error) {
		throw new UsageError(`${file} is not valid JSON (${(error as Error).message})`);
	}
}
