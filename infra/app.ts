import { App } from 'aws-cdk-lib';
import { addEdgeProvisioner, settingsFromContext } from './edge-provisioner';

// `npm run deploy` deploys both stacks; no lookups, so synth works offline.
const app = new App();
addEdgeProvisioner(app, {
  ...settingsFromContext(app),
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});
