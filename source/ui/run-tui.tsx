export async function runTui(_o: unknown): Promise<number> { return 0; }
