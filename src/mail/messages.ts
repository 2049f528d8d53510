// The mails Footfall sends, as plain text (every client shows it; nothing remote to load).
// Each names why it came, so a mail nobody asked for can be recognised and ignored.
import type { Mail } from './mailer.js';

export function testMail(to: string, server: string): Mail {
  return {
    to,
    subject: 'Footfall: test mail',
    text: `This is a test mail from Footfall at ${server}.\n\nMail works: password reset links will reach people.\n`,
  };
}

export function passwordResetMail(to: string, link: string, validMinutes: number): Mail {
  return {
    to,
    subject: 'Footfall: reset your password',
    text:
      `Someone (hopefully you) asked to reset the password of ${to} on Footfall.\n\n` +
      `Choose a new password here (the link works once, for ${validMinutes} minutes):\n\n${link}\n\n` +
      'Setting it signs you out everywhere. If you did not ask for this, ignore this mail: ' +
      'your password stays as it is.\n',
  };
}
