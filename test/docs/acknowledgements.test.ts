import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { addDefaultStacks } from '../../bin/app';
import { renderAcknowledgementsReport } from '../../scripts/acknowledgements-report';

// docs/acknowledgements.md lists every accepted gate finding of the default app; reviewers
// read it, so it must match the code. Regenerate with `npm run acknowledgements`.
test('docs/acknowledgements.md is current', () => {
  const app = new App();
  addDefaultStacks(app);
  const expected = renderAcknowledgementsReport(app);
  const actual = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'acknowledgements.md'), 'utf8');
  expect(actual).toEqual(expected);
});
