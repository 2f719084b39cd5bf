/** Labels on everything dockerception creates; prune removes only what carries them. */
export const managedLabel = 'io.dockerception.managed';
export const modeLabel = 'io.dockerception.mode';
/** On each node of a swarm lab: the lab's name. */
export const swarmLabel = 'io.dockerception.swarm';

export type SandboxMode = 'dind' | 'socket' | 'sysbox';

export function managedLabels(mode: SandboxMode | 'plain'): Record<string, string> {
	return {[managedLabel]: 'true', [modeLabel]: mode};
}
