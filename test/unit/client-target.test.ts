import {describe, expect, it} from 'vitest';
import {classifyContainer, dockerHostOf} from '../../source/daemon/classify.js';
import {listenedPorts} from '../../source/daemon/tcp-fallback.js';

describe('clients and the ports a daemon listens on', () => {
	it('a container whose DOCKER_HOST points elsewhere is a client, even with a /var/lib/docker volume', () => {
		const client = classifyContainer({
			image: 'docker:latest',
			argv: ['sleep', 'infinity'],
			env: ['DOCKER_HOST=tcp://dockerd:2375'],
			mounts: [{type: 'volume', source: 'x', destination: '/var/lib/docker', rw: true}],
			ports: [],
			labels: {},
		});
		expect(client.kind).toBe('client');
		expect(client.signals[0]).toBe('env DOCKER_HOST=tcp://dockerd:2375');
		// One that runs dockerd itself stays DinD, whatever its DOCKER_HOST says.
		expect(classifyContainer({image: 'docker:dind', argv: ['dockerd'], env: ['DOCKER_HOST=tcp://x:2375'], mounts: [], ports: [], labels: {}}).kind).toBe(
			'dind',
		);
		expect(dockerHostOf(['DOCKER_HOST=', 'PATH=/bin'])).toBeUndefined();
	});

	it('finds a daemon port from the command line or $PORT, TLS when it verifies', () => {
		expect(listenedPorts(['dockerd', '-H', 'tcp://0.0.0.0:4444', '-H', 'unix:///var/run/docker.sock'], [])).toEqual([[4444, false]]);
		expect(listenedPorts(['sh', '-c', 'exec dockerd --host=tcp://0.0.0.0:$PORT --tlsverify'], ['PORT=4444'])).toEqual([[4444, true]]);
		expect(listenedPorts(['dockerd', '--host=tcp://0.0.0.0:2375'], [])).toEqual([]);
	});
});
