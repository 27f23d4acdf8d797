import { describe, expect, it } from 'vitest';
import { explainTempFailure } from '../../src/cli/run-files.js';
import { UserFacingError } from '../../src/user-facing-error.js';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code, syscall: 'write' });

describe('explainTempFailure', () => {
  it('names the directory the temp files go in when its disk is full, and says what to do', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const explained = explainTempFailure(errno(code, `${code}: no space left on device, write`), '/big/tmp/bin-packer-run-abc');
      expect(explained).toBeInstanceOf(UserFacingError);
      expect((explained as Error).message).toBe(
        `cannot write temp files in /big/tmp: ${code}: no space left on device, write; free space there, or name a larger disk with --temp-dir`,
      );
    }
  });

  it('leaves any other failure, and one already told, as it is', () => {
    const other = errno('EACCES', 'EACCES: permission denied, open');
    expect(explainTempFailure(other, '/tmp/run')).toBe(other);
    const told = new UserFacingError('cannot write the --output file /dev/full: ENOSPC');
    expect(explainTempFailure(Object.assign(told, { code: 'ENOSPC' }), '/tmp/run')).toBe(told);
    expect(explainTempFailure('a string', '/tmp/run')).toBe('a string');
  });
});
