#!/usr/bin/env node
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { createKitApp } from './app';
import { DEFAULT_CONFIG } from './config/default-config';
import { ConfigError, loadConfigFile, validateConfig } from './config/load';

/**
 * `npx cdk synth` entry point. Without `-c config=<file>` it synthesizes every pattern from the
 * embedded default configuration. A bad configuration exits non-zero before any stack exists,
 * with one line per problem.
 */
function main(): void {
  // Only reads context; autoSynth off, or this empty app would overwrite the cloud assembly on exit.
  const configFile = new App({ autoSynth: false }).node.tryGetContext('config') as string | undefined;
  try {
    const config = configFile ? loadConfigFile(configFile) : validateConfig(DEFAULT_CONFIG, 'the embedded default configuration');
    const configDirectory = configFile ? path.dirname(path.resolve(configFile)) : path.resolve(__dirname, '..');
    createKitApp({ config, configDirectory }).synth();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

main();
