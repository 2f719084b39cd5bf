import {Box} from 'ink';
import {Text} from './Text.js';
import type {TreeState} from '../store/model.js';

/** Shown when no root daemon answers: what was tried, why it failed, what to do. */
export function NoDaemonScreen({
	tree,
	width,
	height,
	sandbox,
}: {
	tree: TreeState;
	width: number;
	height: number;
	sandbox: {available: boolean; problem?: string | undefined};
}) {
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor="red" paddingX={1}>
			<Text bold color="red">
				No Docker daemon reachable
			</Text>
			{tree.roots.map((path) => {
				const daemon = tree.daemons[path];
				return (
					<Text key={path} wrap="truncate-end">
						{path}: {daemon?.route} — {daemon?.error ?? 'no answer'}
					</Text>
				);
			})}
			<Text> </Text>
			<Text>Try one of:</Text>
			<Text> · start Docker (sudo systemctl start docker, or dockerd)</Text>
			<Text> · point at another daemon: DOCKER_HOST=unix:///path or tcp://host:2375, or --host</Text>
			<Text> · pick a Docker context: --context NAME (docker context ls)</Text>
			<Text> · a socket without permission: join the docker group, or run with sudo</Text>
			{sandbox.available ? (
				<Text color="cyan"> · S starts a private sandbox daemon here and shows it (it stops when you quit)</Text>
			) : sandbox.problem ? (
				<Text dimColor> · a private sandbox daemon (--sandbox): {sandbox.problem}</Text>
			) : null}
			<Text dimColor> </Text>
			<Text dimColor>dockerception keeps retrying; ctrl-r retries now, q quits.</Text>
		</Box>
	);
}
