// Shopify's official JavaScript Admin API client, unchanged, against an orderdesk server.
// It builds https://{storeDomain}/admin/api/{version}/graphql.json; customFetchApi (the client's own
// option) sends that request to the orderdesk under test instead. Prints what the client returned.
import {createAdminApiClient} from '@shopify/admin-api-client';

const [base, token, orderId] = process.argv.slice(2);
const seen = [];
const client = createAdminApiClient({
  storeDomain: 'test-shop.myshopify.com',
  apiVersion: '2025-01',
  accessToken: token,
  customFetchApi: (url, init) => {
    seen.push(url);
    return fetch(url.replace(/^https:\/\/test-shop\.myshopify\.com/, base), init);
  },
});

const read = await client.request(
  `query Order($id: ID!) { order(id: $id) { id name displayFinancialStatus tags
     totalPriceSet { shopMoney { amount currencyCode } } lineItems(first: 5) { nodes { title quantity } } } }`,
  {variables: {id: orderId}},
);
const tagged = await client.request(
  `mutation Tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`,
  {variables: {id: orderId, tags: ['from-js']}},
);
const refused = await client.request(`query { order(id: "gid://shopify/Order/not-a-number") { id } }`);
console.log(JSON.stringify({seen, read, tagged, refused}));
