#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { SecurityGate } from '../lib/gate';

// Placeholder until the patterns land: the gate is applied before any stack exists.
const app = new App();
SecurityGate.apply(app);
app.synth();
