/** The floor: an app with one empty stack, synthesized the same way as every other app. */
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
new Stack(app, 'Empty', { env: { account: '123456789012', region: 'us-east-1' } });
app.synth();
