/** Test vectors from the trust spec (oci-trust.md §10.5–10.6): a cosign key's public half and signatures. */
export const VECTOR_PUB = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEpdcL5lPy5BbxaCgsmix/LIcRZTXH
NdMQ+sGgpeOowG71yLLzKv/xenMG4mWHyLADqI2dsmk85ho9uErGPnCKLg==
-----END PUBLIC KEY-----
`;
export const VECTOR_DIGEST = 'sha256:1660897fb522280a9cdcb683c698fe8d4ef82e7a700ce3a0d1ec75a55ffee1c9';
export const VECTOR_PAYLOAD = `{"critical":{"identity":{"docker-reference":"registry.example.com/team/app"},"image":{"docker-manifest-digest":"${VECTOR_DIGEST}"},"type":"cosign container image signature"},"optional":null}`;
export const VECTOR_PAYLOAD_SIG =
  'MEQCIGFWEVwqvD7uTRLUEhtgM/GCDmK3OE+QCSW3HylK4SkGAiBpRLE3cTWeUZaQ6RQOot8tvJRI/aKJDNuOMC7AZgaE0w==';
export const VECTOR_HINT = 'tT1r45zAP2OC3eKIPNR85e++BITGBmv4qIYFCJ/WxHg=';
export const VECTOR_STATEMENT =
  '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"registry.example.com/team/app","digest":{"sha256":"1660897fb522280a9cdcb683c698fe8d4ef82e7a700ce3a0d1ec75a55ffee1c9"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}';
export const VECTOR_STATEMENT_SIG =
  'MEUCICHC7FkW+L1UZJ6BYsv5dRt92vdI+WCjwVyIqvgiUaWcAiEA4sW3KYyh4A/lkDkPv+9VzNYSwVphRT2tvgIMwPUZ9gA=';
