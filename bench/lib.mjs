// Shared helpers for the benchmark scripts: timing, medians and a plain table.
import {execFileSync, spawnSync} from 'node:child_process';
import {homedir} from 'node:os';
import {join} from 'node:path';

export const labHost = () =>
	process.env.DOCKER_HOST ||
	`unix://${join(process.env.DOCKERCEPTION_LAB_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dockerception', 'lab'), 'docker.sock')}`;

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Wall time of a command in ms (it must succeed). */
export function timeCommand(command, args, env = {}) {
	const started = performance.now();
	const result = spawnSync(command, args, {env: {...process.env, ...env}, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	const ms = performance.now() - started;
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
	return {ms, stdout: result.stdout};
}

export function printTable(title, header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
	console.log(`\n${title}`);
	console.log(line(header));
	console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const row of rows) console.log(line(row));
}

export const fmt = (ms) => `${Math.round(ms)} ms`;

export function docker(args) {
	return execFileSync('docker', ['-H', labHost(), ...args], {encoding: 'utf8'});
}
