// The Messenger starts here: the chats for a signed-in device, else the sign-in screen.
import { loadSession, saveSession, takeNotice } from './data/session.js';
import { startMessenger } from './app.js';
import { showSignIn } from './ui/signin-view.js';

const root = document.getElementById('app');
const session = loadSession();
if (session) {
  startMessenger(root, session);
} else {
  showSignIn(root, {
    notice: takeNotice(),
    onSignedIn: (signedIn) => {
      saveSession(signedIn);
      startMessenger(root, signedIn);
    },
  });
}
