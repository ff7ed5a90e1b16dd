export type Env = Record<string, string | undefined>;

/**
 * Reads typed settings from an environment, collecting every problem instead of stopping
 * at the first, so a process refuses to start with one message naming each wrong variable.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback: string, pattern?: RegExp): string {
    const value = this.env[name] ?? fallback;
    if (pattern && !pattern.test(value)) this.problems.push(`${name}="${value}" does not match ${pattern}`);
    return value;
  }

  /** A variable with no default: missing is a problem. */
  required(name: string): string {
    const value = this.env[name];
    if (!value) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    this.problems.push(`${name}="${raw}" must be true or false`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: string[]): string;
  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined;
  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
    const value = this.env[name] || fallback;
    if (value === undefined) return undefined;
    try {
      if (!protocols.includes(new URL(value).protocol)) this.problems.push(`${name} must use ${protocols.join(' or ')}`);
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }
}
