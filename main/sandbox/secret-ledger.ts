/**
 * Every secret the sandbox issued or received this run: access, refresh and ID tokens,
 * authorization codes, PKCE verifiers and device codes. The reliability suite scans all app
 * output for these values, so a leak of any of them fails a test.
 */
const MIN_SECRET_LENGTH = 16;

export class SecretLedger {
  private readonly secrets = new Set<string>();

  /**
   * Records `value`. Values under 16 characters are skipped: the sandbox issues none that
   * short, and a short string a client sent would match unrelated output in a scan.
   */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) {
      this.secrets.add(value);
    }
  }

  list(): string[] {
    return [...this.secrets];
  }
}
