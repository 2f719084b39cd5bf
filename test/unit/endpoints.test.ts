import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveEndpoints} from '../../source/daemon/contexts.js';
import {parseHost} from '../../source/daemon/endpoint.js';
import {UsageError} from '../../source/errors.js';

/** A Docker config directory laid out as the Docker CLI writes it. */
function dockerConfig(contexts: Record<string, {host: string; tls?: Record<string, string>; raw?: string}>, current?: string) {
	const dir = mkdtempSync(join(tmpdir(), 'dcpt-config-'));
	if (current) writeFileSync(join(dir, 'config.json'), JSON.stringify({currentContext: current}));
	for (const [name, context] of Object.entries(contexts)) {
		const digest = createHash('sha256').update(name).digest('hex');
		mkdirSync(join(dir, 'contexts', 'meta', digest), {recursive: true});
		writeFileSync(
			join(dir, 'contexts', 'meta', digest, 'meta.json'),
			context.raw ?? JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: context.host, SkipTLSVerify: false}}}),
		);
		if (context.tls) {
			const tlsDir = join(dir, 'contexts', 'tls', digest, 'docker');
			mkdirSync(tlsDir, {recursive: true});
			for (const [file, content] of Object.entries(context.tls)) writeFileSync(join(tlsDir, file), content);
		}
	}
	return dir;
}

describe('parseHost', () => {
	it('reads the schemes the Docker CLI accepts', () => {
		expect(parseHost('unix:///var/run/docker.sock', 'x')).toEqual({kind: 'unix', socketPath: '/var/run/docker.sock'});
		expect(parseHost('tcp://10.0.0.5:2376', 'x')).toEqual({kind: 'tcp', host: '10.0.0.5', port: 2376});
		expect(parseHost('tcp://docker.local', 'x')).toEqual({kind: 'tcp', host: 'docker.local', port: 2375});
		expect(parseHost('ssh://me@build:2222', 'x')).toEqual({kind: 'ssh', host: 'build', port: 2222, username: 'me'});
		expect(parseHost('tcp://[::1]:2375', 'x')).toEqual({kind: 'tcp', host: '::1', port: 2375});
	});

	it.each([
		['foo', /no scheme/],
		['tcp://', /missing host/],
		['tcp://:2375', /missing host/],
		['unix://relative.sock', /must be absolute/],
		['ftp://x', /unsupported scheme "ftp"/],
		['tcp://host:99999', /malformed/],
	])('rejects %s with a message naming the setting', (url, reason) => {
		expect(() => parseHost(url, 'DOCKER_HOST')).toThrow(reason);
		expect(() => parseHost(url, 'DOCKER_HOST')).toThrow(/^DOCKER_HOST "/);
	});
});

describe('parseHost: the user name of an ssh:// URL', () => {
	it('is percent-decoded as the Docker CLI does', () => {
		expect(parseHost('ssh://me%40corp@build', 'x')).toEqual({kind: 'ssh', host: 'build', username: 'me@corp'});
		expect(parseHost('ssh://j.d_x-1@build', 'x')).toEqual({kind: 'ssh', host: 'build', username: 'j.d_x-1'});
	});

	it.each([
		['ssh://%zz@host', /the user name has a malformed %-escape/],
		['ssh://me%@host', /the user name has a malformed %-escape/],
		// %25 is "%": ssh would read "%h" as a token.
		['ssh://%25h@host', /must not contain "%"/],
		['ssh://me%25r@host', /must not contain "%"/],
		['ssh://%2doProxyCommand=x@host', /must not start with "-"/],
		['ssh://me%0aroot@host', /a space, a control or a shell character/],
		['ssh://me%20x@host', /a space, a control or a shell character/],
		['ssh://a%27%3Btouch%20x@host', /a space, a control or a shell character/],
		['ssh://%24(id)@host', /a space, a control or a shell character/],
	])('%s is bad usage, one line naming the setting', (url, reason) => {
		let thrown: unknown;
		try {
			parseHost(url, 'DOCKER_HOST');
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(UsageError);
		expect((thrown as UsageError).exitCode).toBe(2);
		expect((thrown as Error).message).toMatch(reason);
		expect((thrown as Error).message).toMatch(/^DOCKER_HOST "/);
		expect((thrown as Error).message).not.toMatch(/\n/);
	});
});

describe('resolveEndpoints follows the Docker CLI precedence', () => {
	const config = dockerConfig(
		{
			lab: {host: 'unix:///tmp/lab.sock'},
			remote: {host: 'tcp://10.1.2.3:2376', tls: {'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY'}},
			broken: {host: '', raw: '{not json'},
			halftls: {host: 'tcp://10.1.2.4:2376', tls: {'ca.pem': 'CA', 'cert.pem': 'CERT'}},
		},
		'lab',
	);
	const env = {DOCKER_CONFIG: config};

	it('uses currentContext from config.json when nothing else is set', () => {
		const [endpoint] = resolveEndpoints({env});
		expect(endpoint).toMatchObject({name: 'lab', transport: {kind: 'unix', socketPath: '/tmp/lab.sock'}});
	});

	it('prefers DOCKER_CONTEXT over currentContext, DOCKER_HOST over both, --host over all', () => {
		expect(resolveEndpoints({env: {...env, DOCKER_CONTEXT: 'default'}})[0]).toMatchObject({name: 'default', url: 'unix:///var/run/docker.sock'});
		expect(resolveEndpoints({env: {...env, DOCKER_CONTEXT: 'lab', DOCKER_HOST: 'tcp://h:1'}})[0]).toMatchObject({
			name: 'default',
			url: 'tcp://h:1',
			source: 'DOCKER_HOST',
		});
		expect(resolveEndpoints({host: 'unix:///x.sock', env: {...env, DOCKER_HOST: 'tcp://h:1'}})[0]).toMatchObject({url: 'unix:///x.sock', source: '--host'});
	});

	it('--context wins over DOCKER_HOST and can repeat', () => {
		const endpoints = resolveEndpoints({contexts: ['lab', 'remote', 'lab'], env: {...env, DOCKER_HOST: 'tcp://h:1'}});
		expect(endpoints.map((e) => e.name)).toEqual(['lab', 'remote']);
	});

	it('reads a context TLS directory', () => {
		const [remote] = resolveEndpoints({contexts: ['remote'], env});
		expect(remote!.transport).toMatchObject({kind: 'tcp', host: '10.1.2.3', port: 2376, tls: {verify: true}});
		const tls = (remote!.transport as {tls: {ca: Buffer; key: Buffer}}).tls;
		expect(tls.ca.toString()).toBe('CA');
		expect(tls.key.toString()).toBe('KEY');
	});

	it('--all-contexts lists default and every stored context', () => {
		const clean = dockerConfig({a: {host: 'unix:///a.sock'}, b: {host: 'tcp://b:2375'}});
		const endpoints = resolveEndpoints({allContexts: true, env: {DOCKER_CONFIG: clean}});
		expect(endpoints.map((e) => e.name)).toEqual(['default', 'a', 'b']);
		// A malformed context is named by where it is, not skipped silently.
		expect(() => resolveEndpoints({allContexts: true, env})).toThrow(/malformed .*meta\.json/);
	});

	it.each([
		[['nope'], /context "nope" does not exist/],
		[['broken'], /context "broken": malformed .*meta\.json/],
		[['halftls'], /key\.pem is missing/],
	])('explains a bad context %s in one line', (contexts, reason) => {
		expect(() => resolveEndpoints({contexts, env})).toThrow(reason);
	});

	it('refuses --host together with --context', () => {
		expect(() => resolveEndpoints({host: 'unix:///x', contexts: ['lab'], env})).toThrow(/either --host or --context/);
	});

	it('uses DOCKER_CERT_PATH for TLS when DOCKER_TLS_VERIFY is set', () => {
		const certs = mkdtempSync(join(tmpdir(), 'dcpt-certs-'));
		for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, file), file);
		const [endpoint] = resolveEndpoints({env: {DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs}});
		expect(endpoint!.transport).toMatchObject({kind: 'tcp', tls: {verify: true}});
		expect(() => resolveEndpoints({env: {DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent'}})).toThrow(
			/DOCKER_CERT_PATH \/nonexistent does not exist/,
		);
	});
});
