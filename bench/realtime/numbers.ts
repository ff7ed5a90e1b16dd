// Two small helpers every file of the real-time phase uses: rounding a figure, and waiting.

export const round = (x: number, decimals = 3): number => Math.round(x * 10 ** decimals) / 10 ** decimals;
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
