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
	/** The user's keys: command name -> a key or a list of keys ({"logs": "L"}); checked when the TUI starts. */
	keys?: Record<string, string | string[]>;
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
			...(parsed.keys !== undefined ? {keys: keysOf(parsed.keys, file)} : {}),
		};
	} catch (error) {
		if (error instanceof UsageError) throw error;
		throw new UsageError(`${file} is not valid JSON (${(error as Error).message})`);
	}
}

function keysOf(value: unknown, file: string): Record<string, string | string[]> {
	const isKeys = (entry: unknown) => typeof entry === 'string' || (Array.isArray(entry) && entry.every((key) => typeof key === 'string'));
	if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every(isKeys)) {
		throw new UsageError(`${file}: "keys" maps command names to a key or a list of keys, e.g. {"logs": "L"}`);
	}
	return value as Record<string, string | string[]>;
}
