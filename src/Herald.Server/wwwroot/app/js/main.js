// The Messenger starts here: the chats for a signed-in device, else the sign-in screen.
import { loadSession, saveSession, takeNotice } from './data/session.js';
import { startMessenger } from './app.js';
import { showSignIn } from './ui/signin-view.js';
import { handleSkipLink } from './ui/focus.js';

const root = document.getElementById('app');
const session = loadSession();
if (session) {
  startMessenger(root, session);
} else {
  showSignIn(root, {
    notice: takeNotice(),
    onSignedIn: (signedIn) => {
      saveSession(signedIn);
      startMessenger(root, signedIn, { focus: true });
    },
  });
}
// The open chat or settings when they are on screen, else the chat list (or the sign-in form).
handleSkipLink(() => [document.querySelector('.pane'), document.getElementById('content')]);
