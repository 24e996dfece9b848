/**
 * The library's SOX backup estate (examples/sox-backup-estate) without the
 * compliance packs, so that it is synthesized exactly like its hand-written peer
 * (bench/peer/app.ts): same App context, same stack env, no cdk-nag.
 */
import { App } from 'aws-cdk-lib';
import { RECOMMENDED_CONTEXT } from './context';
import { SoxBackupEstateStack } from '../../examples/sox-backup-estate/stack';

const app = new App({ context: RECOMMENDED_CONTEXT });
new SoxBackupEstateStack(app, 'SoxBackupEstate', { env: { account: '123456789012', region: 'us-east-1' } });
app.synth();
