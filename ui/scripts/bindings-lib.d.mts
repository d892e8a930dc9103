export function generate(schema: unknown): Promise<string>;
