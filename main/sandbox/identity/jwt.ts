/**
 * Signs and checks the sandbox's JSON Web Tokens (RS256, as Entra signs them). MSAL never checks
 * a signature. The sandbox's Graph side does, so a forged token or one from another sandbox run
 * gets the 401 that real Graph would send.
 */

import { generateKeyPair, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type JwtClaims = Record<string, unknown>;

/** Generates the run's RSA 2048 signing key off the main thread. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKeyObject, privateKeyObject) => {
      if (error !== null) {
        reject(error);
        return;
      }
      resolve({ privateKey: privateKeyObject, publicKey: publicKeyObject });
    });
  });
  return { kid: randomUUID().replaceAll('-', ''), privateKey, publicKey };
}

export function signJwt(key: SigningKey, claims: JwtClaims): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The reason a token failed the check. */
export type JwtProblem = 'malformed' | 'bad-signature';

/** Returns the claims of a token this key signed, or the problem with it. */
export function verifyJwt(key: SigningKey, token: string): { claims: JwtClaims } | { problem: JwtProblem } {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return { problem: 'malformed' };
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'malformed' };
  }
  if (!isObject(header) || !isObject(claims)) {
    return { problem: 'malformed' };
  }
  if (header.alg !== 'RS256' || header.kid !== key.kid) {
    return { problem: 'bad-signature' };
  }

  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), key.publicKey, Buffer.from(signaturePart, 'base64url'));
  return valid ? { claims } : { problem: 'bad-signature' };
}

/** Returns the JWKS document that publishes the key, as `jwks_uri` serves it. */
export function jsonWebKeySet(key: SigningKey): { keys: Record<string, unknown>[] } {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e }] };
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
