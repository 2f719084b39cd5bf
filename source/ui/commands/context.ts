import type {ContainerNode, TreeState} from '../../store/model.js';
import type {TreeStore} from '../../store/store.js';
import type {TreeRow} from '../../store/tree-rows.js';
import type {AppAction, AppState} from '../app-state.js';
import type {ConfirmRequest} from '../ConfirmDialog.js';
import type {TreeController} from '../controller.js';
import type {PickItem} from '../PickDialog.js';
import type {SpawnForm, SpawnStatus} from '../SpawnDialog.js';
import type {StatusMessage} from '../StatusBar.js';
import type {SandboxMode} from '../../daemon/labels.js';

/** The spawn form while a flow drives it: each submit resolves `next()`, cancel resolves undefined. */
export interface SpawnFormSession {
	next(): Promise<SpawnForm | undefined>;
	show(status: SpawnStatus, form: SpawnForm): void;
	isOpen(): boolean;
	close(): void;
}

/**
 * What a command may use. Dialogs are promises, so a flow reads top to bottom: ask, wait,
 * act, say how it went.
 */
export interface CommandContext {
	/** The state now: after every key before this one. */
	state(): AppState;
	dispatch(action: AppAction): void;
	tree(): TreeState;
	row(): TreeRow | undefined;
	/** The daemon the selected row is in or opens (the first root when nothing is selected). */
	targetDaemon(): string | undefined;
	/** The selected container, or a message saying to select one. */
	needContainer(): ContainerNode | undefined;
	controller: TreeController;
	store: TreeStore;
	say(text: string, tone?: StatusMessage['tone']): void;
	exit(): void;
	confirm(request: Omit<ConfirmRequest, 'onAnswer'>): Promise<boolean>;
	pick(request: {title: string; items: PickItem[]; withCommand: boolean}): Promise<{item: PickItem; command: string} | undefined>;
	spawnForm(spec: {daemonPath: string; modes: SandboxMode[]; initial: SpawnForm}): SpawnFormSession;
	/** Resolves when the tree satisfies `check` (its value), rejects after timeoutMs. */
	waitFor<T>(check: (tree: TreeState) => T | undefined, timeoutMs: number): Promise<T>;
	/** Select a row, unfolding it; it may appear a frame later. */
	select(id: string): void;
	/** Stop drawing and reading keys while `work` owns the terminal. */
	suspend<T>(work: () => Promise<T>): Promise<T>;
	/** How far the details panel can scroll for the selected row. */
	detailsScrollLimit(): number;
}

export const errorText = (error: unknown) =>
	String((error as Error)?.message ?? error)
		.replace(/\s+/g, ' ')
		.trim();

/** `daemon/name`: how a container is named in messages. */
export const pathOf = (container: ContainerNode) => `${container.daemonPath}/${container.name}`;

/** Made by dockerception (it asks less before acting on those). */
export const managed = (container: ContainerNode) => container.labels['io.dockerception.managed'] === 'true';
