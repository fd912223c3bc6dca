// A real OpenID Connect provider for the tests (oauth2-mock-server): issuer
// discovery, JWKS, PKCE checks and signed ID tokens. Who signs in is chosen
// by the `login_hint` the client passes through:
//   subject|email|verified(1/0)|name|flags     (flags: wrong-nonce)
// usage: node e2e/oidc-provider.mjs PORT
import { OAuth2Server } from 'oauth2-mock-server';

const port = Number(process.argv[2] ?? 18090);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

const hintByCode = new Map();
server.service.on('beforeAuthorizeRedirect', (redirect, req) => {
  const code = redirect.url.searchParams.get('code');
  const hint = new URL(req.url, 'http://provider').searchParams.get('login_hint') ?? '';
  if (code) hintByCode.set(code, hint);
});
server.service.on('beforeTokenSigning', (token, req) => {
  const hint = hintByCode.get(req.body?.code) ?? '';
  const [subject, email, verified, name, flags = ''] = hint.split('|');
  token.payload.sub = subject || 'default-subject';
  if (email) token.payload.email = email;
  token.payload.email_verified = verified === '1';
  if (name) token.payload.name = name;
  if (flags.includes('wrong-nonce') && 'nonce' in token.payload) token.payload.nonce = 'not-the-nonce';
});

await server.start(port, '127.0.0.1');
console.log(`oidc provider at ${server.issuer.url}`);
