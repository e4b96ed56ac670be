// baseUrls are opaque, signed and expiring: `${bytes}/lr/<token>`, where the token carries the item id, an
// expiry and an epoch (expireBaseUrls() bumps the epoch). HMAC stops clients from forging or extending them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type BaseUrlCheck = { ok: true; itemId: string } | { ok: false; reason: 'invalid' | 'expired' };

export class BaseUrlSigner {
  private readonly key = randomBytes(32);
  private epoch = 0;

  constructor(private readonly now: () => number = Date.now) {}

  sign(itemId: string, ttlSec: number): string {
    const payload = Buffer.from(JSON.stringify([itemId, Math.round(this.now() + ttlSec * 1000), this.epoch])).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string): BaseUrlCheck {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, number, number];
    const [itemId, expiresAt, epoch] = parsed;
    if (epoch !== this.epoch || expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, itemId };
  }

  expireAll(): void {
    this.epoch++;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 27);
  }
}
