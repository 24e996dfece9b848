/** The hand-written peer of examples/sox-backup-estate, synthesized like bench/apps/sox-ours.ts. */
import { App } from 'aws-cdk-lib';
import { SoxPeerStack } from './sox-peer-stack';
import { RECOMMENDED_CONTEXT } from '../apps/context';

const app = new App({ context: RECOMMENDED_CONTEXT });
new SoxPeerStack(app, 'SoxPeer', { env: { account: '123456789012', region: 'us-east-1' } });
app.synth();
