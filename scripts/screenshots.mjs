#!/usr/bin/env node
// Regenerate the screenshots in media/: the real TUI in tmux against the lab, captured with its
// colours (capture-pane -e) and turned into SVG. Needs the lab with the reference topology:
//   npm run build && node scripts/lab-up.mjs --topology && node scripts/screenshots.mjs
// `clients` builds the compose "dind + client" shape on the lab (test/lab/topology.ts) and shoots
// media/clients.svg with the client selected.
// `health` adds a DinD on the vfs storage driver (health-vfs) to the lab and shoots media/health.svg
// with it selected and forwarded (f): the ⚠ mark, the findings with their fixes, DOCKER_HOST.
// `swarm` instead shoots media/swarm.svg from a swarm lab with a service, made on the lab with:
//   dockerception spawn --name swarm-host; docker save <dind> <busybox> | docker exec -i swarm-host docker load
//   dockerception spawn --mode swarm --on default/swarm-host --name sw --copy <busybox>
//   dockerception exec default/swarm-host/sw-1 -- docker service create --detach --no-resolve-image --name web --replicas 3 <busybox> sleep 86400
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

const host =
	process.env.DOCKER_HOST ||
	`unix://${join(process.env.DOCKERCEPTION_LAB_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'dockerception', 'lab'), 'docker.sock')}`;
// The swarm shot is wider: a node's row carries its cluster tag.
const columns = process.argv[2] === 'swarm' ? 150 : 120;
if (process.argv[2] === 'health') {
	const {startDindContainer} = await import('../dist/daemon/dind-container.js');
	const {clientForTransport} = await import('../dist/daemon/client.js');
	const {parseHost} = await import('../dist/daemon/endpoint.js');
	const client = clientForTransport(parseHost(host, 'lab'), 60_000);
	await client.docker
		.getContainer('health-vfs')
		.remove({force: true, v: true})
		.catch(() => {});
	await startDindContainer(client.docker, {
		image: 'dockerception-lab/dind:2',
		name: 'health-vfs',
		labels: {'io.dockerception.lab': 'true'},
		cmd: ['dockerd', '--host=unix:///var/run/docker.sock', '--storage-driver', 'vfs'],
	});
	client.close();
}
if (process.argv[2] === 'clients') {
	const {buildComposeShape} = await import('../dist/lab/topology.js');
	const {clientForTransport} = await import('../dist/daemon/client.js');
	const {parseHost} = await import('../dist/daemon/endpoint.js');
	const client = clientForTransport(parseHost(host, 'lab'), 60_000);
	await buildComposeShape(client, {labels: {'io.dockerception.lab': 'true'}});
	client.close();
}
const rows = process.argv[2] === 'swarm' ? 30 : 34;
const tmux = (...args) => execFileSync('tmux', ['-L', 'dockerception-shots', ...args], {encoding: 'utf8'});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const palette = ['#1e1e2e', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#cba6f7', '#89dceb', '#cdd6f4'];
const bright = ['#6c7086', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#cba6f7', '#89dceb', '#ffffff'];
const foreground = '#cdd6f4';
const background = '#1e1e2e';

function xterm256(n) {
	if (n < 8) return palette[n];
	if (n < 16) return bright[n - 8];
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}
	const i = n - 16;
	const level = (x) => (x === 0 ? 0 : 55 + x * 40);
	return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

/** ANSI screen text (capture-pane -e) to SVG: one <text> per line, a <tspan> per style run. */
function toSvg(screen) {
	const cell = 8.4;
	const line = 17;
	const lines = screen.replace(/\n+$/, '').split('\n');
	const parts = [];
	lines.forEach((text, row) => {
		let style = {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false};
		let column = 0;
		const runs = [];
		const pattern = /\u001B\[([\d;]*)m|([^\u001B]+)/g;
		for (const match of text.matchAll(pattern)) {
			if (match[1] !== undefined) {
				const codes = match[1] === '' ? [0] : match[1].split(';').map(Number);
				for (let index = 0; index < codes.length; index++) {
					const code = codes[index];
					if (code === 0) style = {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false};
					else if (code === 1) style = {...style, bold: true};
					else if (code === 2) style = {...style, dim: true};
					else if (code === 22) style = {...style, bold: false, dim: false};
					else if (code === 7) style = {...style, inverse: true};
					else if (code === 27) style = {...style, inverse: false};
					else if (code >= 30 && code <= 37) style = {...style, fg: palette[code - 30]};
					else if (code >= 90 && code <= 97) style = {...style, fg: bright[code - 90]};
					else if (code === 39) style = {...style, fg: undefined};
					else if (code >= 40 && code <= 47) style = {...style, bg: palette[code - 40]};
					else if (code >= 100 && code <= 107) style = {...style, bg: bright[code - 100]};
					else if (code === 49) style = {...style, bg: undefined};
					else if ((code === 38 || code === 48) && codes[index + 1] === 5) {
						style = {...style, [code === 38 ? 'fg' : 'bg']: xterm256(codes[index + 2])};
						index += 2;
					} else if ((code === 38 || code === 48) && codes[index + 1] === 2) {
						style = {...style, [code === 38 ? 'fg' : 'bg']: `rgb(${codes[index + 2]},${codes[index + 3]},${codes[index + 4]})`};
						index += 4;
					}
				}
				continue;
			}
			const chars = [...match[2]];
			runs.push({column, chars: chars.join(''), style});
			column += chars.length;
		}
		const y = row * line;
		for (const run of runs) {
			let fg = run.style.fg ?? foreground;
			let bg = run.style.bg;
			if (run.style.inverse) [fg, bg] = [bg ?? background, fg];
			if (bg)
				parts.push(`<rect x="${(run.column * cell).toFixed(1)}" y="${y}" width="${(run.chars.length * cell).toFixed(1)}" height="${line}" fill="${bg}"/>`);
			const escaped = run.chars.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
			if (!escaped.trim()) continue;
			parts.push(
				`<text x="${(run.column * cell).toFixed(1)}" y="${y + 13}" fill="${fg}"${run.style.bold ? ' font-weight="bold"' : ''}${run.style.dim ? ' opacity="0.6"' : ''} xml:space="preserve">${escaped}</text>`,
			);
		}
	});
	const width = Math.ceil(columns * cell + 16);
	const height = lines.length * line + 16;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="-8 -8 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">
<rect x="-8" y="-8" width="${width}" height="${height}" fill="${background}" rx="6"/>
${parts.join('\n')}
</svg>
`;
}

async function shot(name, keys = []) {
	for (const key of keys) {
		if (typeof key === 'number') await sleep(key);
		else tmux('send-keys', '-t', 'shots', key);
		await sleep(150);
	}
	await sleep(500);
	const screen = tmux('capture-pane', '-e', '-p', '-t', 'shots');
	writeFileSync(join('media', `${name}.svg`), toSvg(screen));
	console.log(`media/${name}.svg`);
}

mkdirSync('media', {recursive: true});
try {
	tmux('kill-server');
} catch {}
tmux(
	'new-session',
	'-d',
	'-s',
	'shots',
	'-x',
	String(columns),
	'-y',
	String(rows),
	`DOCKER_HOST=${host} LANG=C.UTF-8 TERM=xterm-256color node dist/bin/cli.js`,
);
await sleep(2500);

/** Quit the TUI and the tmux server. */
async function quit() {
	tmux('send-keys', '-t', 'shots', 'q');
	await sleep(500);
	try {
		tmux('kill-server');
	} catch {}
}

// One shot for a setup made above: the keys that select what it shows.
const single = {
	health: [4000, '/', 'health-vfs', 'Enter', 'G', 'f', 1500, 'Tab', ...Array(8).fill('Down'), 500],
	// The client selected: its row says which daemon it reaches; the details say how. dockerd 20.10
	// serves nothing for 15 s when it listens on plain tcp.
	clients: [18_000, 'g', 'j'],
	// The manager of a swarm lab selected: every node tagged with the cluster, the cluster in the details.
	swarm: ['/', 'sw-1', 'Enter', 'G', 'Tab', ...Array(14).fill('Down'), 800],
}[process.argv[2]];
if (single) {
	await shot(process.argv[2], single);
	await quit();
	process.exit(0);
}
// The tree with a DinD inside a DinD selected: its row, its daemon, the details.
await shot('tree', ['g', 'j', 'j', 'j', 'j', 'j', 'j', 'j']);
await shot('details', ['Tab']);
await shot('help', ['Tab', '?']);
// A DinD against the host it runs on: the containerized OS, the same kernel.
await shot('diff', ['Escape', 'g', 'j', 'D', 800]);
await shot('logs', ['Escape', 'l', 800]);
tmux('send-keys', '-t', 'shots', 'Escape');
await quit();
