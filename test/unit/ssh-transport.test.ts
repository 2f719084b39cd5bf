import {describe, expect, it} from 'vitest';
import {execFileSync} from 'node:child_process';
import {parseHost} from '../../source/daemon/endpoint.js';
import {sshCommand, sshFailure} from '../../source/daemon/ssh-transport.js';

describe('ssh like the Docker CLI', () => {
	it('runs docker system dial-stdio through the system ssh, port and user only when given', () => {
		expect(sshCommand({host: 'build', port: 2222, username: 'me'}, {})).toEqual([
			'ssh',
			'-T',
			'-o',
			'BatchMode=yes',
			'-l',
			'me',
			'-p',
			'2222',
			'--',
			'build',
			'docker',
			'system',
			'dial-stdio',
		]);
		expect(sshCommand({host: 'alias'}, {DOCKERCEPTION_SSH_COMMAND: 'ssh -F /x/config'})).toEqual([
			'ssh',
			'-F',
			'/x/config',
			'-T',
			'-o',
			'BatchMode=yes',
			'--',
			'alias',
			'docker',
			'system',
			'dial-stdio',
		]);
	});

	it('hands ssh a decoded user name as one literal -l argument: ssh reads it as that name', () => {
		const transport = parseHost('ssh://me%40corp@build:2222', 'x');
		if (transport.kind !== 'ssh') throw new Error(`not ssh: ${transport.kind}`);
		const argv = sshCommand(transport, {DOCKERCEPTION_SSH_COMMAND: 'ssh -G -F /dev/null'});
		expect(argv.slice(argv.indexOf('-l'), argv.indexOf('-l') + 2)).toEqual(['-l', 'me@corp']);
		// ssh -G prints the configuration it would use and connects nowhere.
		const printed = execFileSync(argv[0]!, argv.slice(1), {encoding: 'utf8'});
		expect(printed).toMatch(/^user me@corp$/m);
		expect(printed).toMatch(/^hostname build$/m);
		expect(printed).toMatch(/^port 2222$/m);
	});

	it('never gets a user name that holds a %-token: the URL is refused before ssh runs', () => {
		expect(() => parseHost('ssh://%25r%25h@build', 'DOCKER_HOST')).toThrow(/must not contain "%"/);
	});

	it("turns ssh's last words into one line that says what to do", () => {
		const target = {host: '10.0.0.5', port: 2222, username: 'root'};
		expect(sshFailure('Host key verification failed.\r\n', target).message).toBe(
			'ssh root@10.0.0.5:2222: the host key is not known yet; accept it once with: ssh -p 2222 root@10.0.0.5',
		);
		expect(sshFailure('root@10.0.0.5: Permission denied (publickey).', target).message).toMatch(/authentication failed/);
		expect(sshFailure('ssh: connect to host 10.0.0.5 port 2222: Connection refused', target).message).toBe('ssh root@10.0.0.5:2222: connection refused');
		expect(sshFailure('bash: line 1: docker: command not found', target).message).toBe('ssh root@10.0.0.5:2222: no docker CLI on the host');
		expect(sshFailure('ssh: Could not resolve hostname nowhere: Name or service not known', {host: 'nowhere'}).message).toBe('ssh nowhere: host not found');
		// Control bytes from the remote never reach the message.
		expect(sshFailure('\x1b]0;owned\x07weird', target).message).not.toMatch(/[\x00-\x1f]/);
	});
});
