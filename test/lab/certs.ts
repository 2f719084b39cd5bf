import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** A CA, a server and a client certificate (EC, a day) in the docker:dind layout, made with openssl. */
export function makeCertificates(directory: string, serverNames = ['localhost']): void {
	const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: directory, stdio: ['ignore', 'ignore', 'pipe']});
	const key = (file: string) => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file);
	key('ca-key.pem');
	openssl('req', '-x509', '-new', '-key', 'ca-key.pem', '-subj', '/CN=dockerception test CA', '-days', '1', '-out', 'ca.pem');
	for (const [side, usage] of [
		['server', `extendedKeyUsage=serverAuth\nsubjectAltName=${serverNames.map((name) => `DNS:${name}`).join(',')},IP:127.0.0.1`],
		['client', 'extendedKeyUsage=clientAuth'],
	] as const) {
		mkdirSync(join(directory, side));
		writeFileSync(join(directory, `${side}.ext`), `${usage}\n`);
		key(`${side}/key.pem`);
		openssl('req', '-new', '-key', `${side}/key.pem`, '-subj', `/CN=${side}`, '-out', `${side}.csr`);
		openssl(
			'x509',
			'-req',
			'-in',
			`${side}.csr`,
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca-key.pem',
			'-CAcreateserial',
			'-days',
			'1',
			'-extfile',
			`${side}.ext`,
			'-out',
			`${side}/cert.pem`,
		);
		copyFileSync(join(directory, 'ca.pem'), join(directory, side, 'ca.pem'));
	}
}
