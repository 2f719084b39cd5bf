import {describe, expect, it} from 'vitest';
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
