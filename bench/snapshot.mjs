#!/usr/bin/env node
// `dockerception --json` against the manual walk a user does today (`docker ps`, then
// `docker exec X docker ps` into every DinD, recursively), on the same lab, in the same run.
// Needs the lab with the reference topology: node scripts/lab-up.mjs --topology
import {fmt, labHost, median, printTable, timeCommand} from './lib.mjs';

const runs = Number(process.env.RUNS ?? 7);
const host = labHost();

/**
 * The manual walk: `docker ps`, spot the containers running dockerd, `docker exec` into each
 * and run `docker ps` there, recursively (`docker exec A docker exec B docker ps`).
 */
function manualWalk() {
	let containers = 0;
	const walk = (through) => {
		const exec = through.flatMap((name, index) => (index === 0 ? ['exec', name] : ['docker', 'exec', name]));
		const ps = [...(through.length ? ['docker'] : []), 'ps', '-a', '--no-trunc', '--format', '{{.Names}}\t{{.Command}}'];
		const {stdout} = timeCommand('docker', ['-H', host, ...exec, ...ps]);
		const rows = stdout.trim().split('\n').filter(Boolean);
		containers += rows.length;
		for (const row of rows) {
			const [name, command] = row.split('\t');
			if (/dockerd/.test(command)) walk([...through, name]);
		}
	};
	walk([]);
	return containers;
}

const samples = {manual: [], auto: [], tunnel: []};
let counts = {};
for (let run = 0; run < runs; run++) {
	let started = performance.now();
	counts.manual = manualWalk();
	samples.manual.push(performance.now() - started);
	const auto = timeCommand('node', ['dist/bin/cli.js', '--json'], {DOCKER_HOST: host});
	samples.auto.push(auto.ms);
	const tunnel = timeCommand('node', ['dist/bin/cli.js', '--json', '--tunnel-only'], {DOCKER_HOST: host});
	samples.tunnel.push(tunnel.ms);
	const count = (daemon) => daemon.containers.reduce((sum, c) => sum + 1 + (c.daemon ? count(c.daemon) : 0), 0);
	counts.auto = count(JSON.parse(auto.stdout).roots[0]);
	counts.tunnel = count(JSON.parse(tunnel.stdout).roots[0]);
}
const manual = median(samples.manual);
printTable(
	`Snapshot of the lab (median of ${runs} runs, wall time from process start)`,
	['how', 'containers', 'median', 'ratio to manual walk'],
	[
		['manual walk: docker ps + docker exec … docker ps', counts.manual, fmt(manual), '1.00'],
		['dockerception --json (root: /proc shortcut)', counts.auto, fmt(median(samples.auto)), (median(samples.auto) / manual).toFixed(2)],
		['dockerception --json --tunnel-only (exec tunnels)', counts.tunnel, fmt(median(samples.tunnel)), (median(samples.tunnel) / manual).toFixed(2)],
		['node -e 0 (Node start-up alone, for scale)', '—', fmt(median(Array.from({length: 3}, () => timeCommand('node', ['-e', '0']).ms))), '—'],
	],
);
