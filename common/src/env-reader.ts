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

  /** Kubernetes labels as `k=v,k2=v2` (keys may carry a DNS prefix); empty or unset: none. */
  labels(name: string): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const pair of (this.env[name] ?? '').split(',').filter(Boolean)) {
      const [key, value, ...rest] = pair.split('=');
      if (
        !key ||
        value === undefined ||
        rest.length > 0 ||
        !/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9_.-]{1,63}$/.test(key) ||
        !/^[A-Za-z0-9_.-]{0,63}$/.test(value)
      ) {
        this.problems.push(`${name}="${this.env[name]}" must be label pairs k=v separated by commas`);
        return {};
      }
      labels[key] = value;
    }
    return labels;
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
