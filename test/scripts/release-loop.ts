// One pipeline of the concurrency test: releases `count` builds of one service into one checkout, one
// after another, each a whole `npm run release` under the repository lock.
import { createHash } from 'crypto';
import { releaseCommand } from '../../cli/release';
import { synthCommand } from '../../cli/synth';
import { fleet } from '../fixtures/fleet';

const [root, service, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  const digest = createHash('sha256').update(`${service}-${i}`).digest('hex');
  console.log(service === 'synth'
    ? synthCommand(fleet, root, [])
    : releaseCommand(fleet, root, ['--service', service, '--env', 'staging', '--image', `ghcr.io/acme/${service}@sha256:${digest}`]));
}
