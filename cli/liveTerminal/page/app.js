// posrig live virtual terminal, the page's script: renders what /events streams (terminal events, network, ledger,
// status, notices) and posts the buttons' actions to /api/<action> as JSON. Plain browser JavaScript, no build step.
//   GET /events  →  event: terminal  data: {"kind":"terminal","at":"…","event":{"type":"display","lines":[…]}}
//   POST /api/keys {"keys":["1"]}  →  200 {"ok":true} | 4xx/5xx {"error":"keys: …"} (shown in the toast)

const $ = (selector) => document.querySelector(selector);

/** An element with a class and text (text is always set as text, never as HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function timeOf(iso) {
  const at = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

function timeEl(iso) {
  const node = el('time', '', timeOf(iso));
  node.dateTime = iso;
  return node;
}

/** Prepends (newest first) and keeps a list short. */
function prepend(list, item, limit = 200) {
  list.prepend(item);
  while (list.children.length > limit) list.lastChild.remove();
}

// ---- actions ----

let toastTimer;
function toast(text) {
  const node = $('#toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 6000);
}

/** Posts an action; its error (the terminal refused, the power is off …) is shown, never thrown. */
async function act(action, body = {}) {
  try {
    const response = await fetch(`/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) toast((await response.json()).error ?? `${action} failed (${response.status})`);
  } catch (error) {
    toast(`${action}: ${error.message}`);
  }
}

// Keys reach the terminal in the order pressed.
let keyQueue = Promise.resolve();
let echo = [];
function pressKey(key) {
  if (/^\d$/.test(key)) echo.push('•');
  else if (key === 'CLEAR') echo = [];
  renderEcho();
  keyQueue = keyQueue.then(() => act('keys', { keys: [key] }));
}

function renderEcho() {
  $('#key-echo').textContent = echo.join('');
}

$('#sale-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act('sale', { amount: $('#amount').value });
});
$('#reprint').addEventListener('click', () => act('reprint'));
$('#cancel').addEventListener('click', () => act('cancel'));
for (const button of document.querySelectorAll('#keypad button')) {
  button.addEventListener('click', () => pressKey(button.dataset.key));
}
for (const button of document.querySelectorAll('#card-methods button')) {
  button.addEventListener('click', () => act('card', { alias: $('#card').value, method: button.dataset.method }));
}
$('#fault-drop').addEventListener('click', () => act('fault', { kind: 'drop-response' }));
$('#fault-cut').addEventListener('click', () => act('fault', { kind: 'cut-power-online' }));
$('#heal').addEventListener('click', () => act('fault', { kind: 'heal' }));
$('#power-off').addEventListener('click', () => act('power', { state: 'off' }));
$('#power-on').addEventListener('click', () => act('power', { state: 'on' }));
$('#paper-out').addEventListener('click', () => act('printer', { state: 'paper-out' }));
$('#paper-in').addEventListener('click', () => act('printer', { state: 'ok' }));
$('#reset').addEventListener('click', () => act('reset'));

// ---- what the rig does ----

let language = 'zh-CN';

function showScreen(lines) {
  const screen = $('#screen');
  screen.replaceChildren(...(lines.length ? lines : ['']).map((line) => el('div', 'line', line)));
}

function addReceipt(at, event) {
  const roll = $('#roll');
  roll.querySelector('.empty')?.remove();
  const receipt = el('div', `receipt ${event.copy}${event.reprint ? ' reprint' : ''}`);
  receipt.dataset.copy = event.copy;
  receipt.dataset.reprint = String(event.reprint);
  const head = el('div', 'copy');
  head.append(el('span', '', `${event.copy} copy`), timeEl(at));
  receipt.append(head);
  if (event.reprint) receipt.append(el('span', 'stamp', 'REPRINT'));
  for (const line of event.lines) receipt.append(el('div', 'line', line));
  roll.append(receipt);
  roll.scrollTop = roll.scrollHeight;
}

function speak(text) {
  if (!$('#speak').checked || !('speechSynthesis' in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = language;
  window.speechSynthesis.speak(utterance);
}

function addResult(at, event, amount) {
  const item = el('li', `result ${event.outcome}`);
  item.dataset.outcome = event.outcome;
  const detail = [
    event.command,
    amount,
    event.pan,
    event.stan && `STAN ${event.stan}`,
    event.responseCode && `RC ${event.responseCode}`,
    event.authCode && `auth ${event.authCode}`,
  ].filter(Boolean);
  item.append(
    timeEl(at),
    el('span', `badge ${event.outcome}`, event.outcome),
    el('span', 'detail', detail.join(' · ')),
  );
  prepend($('#results'), item);
}

function addReversal(at, event) {
  const item = el('li', `reversal ${event.status}`);
  item.dataset.reversal = event.status;
  const detail = `reversal of STAN ${event.stan}${event.responseCode ? ` · RC ${event.responseCode}` : ''}`;
  item.append(
    timeEl(at),
    el('span', `badge ${event.status}`, `reversal ${event.status}`),
    el('span', 'detail', detail),
  );
  prepend($('#results'), item);
}

function addVoice(at, text) {
  const item = el('li');
  item.append(timeEl(at), el('span', '', text));
  prepend($('#voice'), item);
  if (isRecent(at)) speak(text);
}

function addNotice(at, level, text) {
  const item = el('li', level);
  item.append(timeEl(at), el('span', '', text));
  prepend($('#notices'), item);
  if (level === 'error' && isRecent(at)) toast(text);
}

/** Said in the last few seconds (not replayed from earlier). */
function isRecent(iso) {
  return Date.now() - new Date(iso).getTime() < 5000;
}

function onTerminal({ at, event, amount }) {
  switch (event.type) {
    case 'display':
      showScreen(event.lines);
      break;
    case 'voice':
      addVoice(at, event.text);
      break;
    case 'print':
      addReceipt(at, event);
      break;
    case 'result':
      addResult(at, event, amount);
      break;
    case 'reversal':
      addReversal(at, event);
      break;
    case 'state':
      $('#terminal-state').textContent = event.state;
      if (event.state !== 'pin') {
        echo = [];
        renderEcho();
      }
      break;
    case 'error':
      addNotice(at, 'error', `terminal: ${event.code}: ${event.message}`);
      break;
    case 'info':
      showScreen([]); // a terminal that booted shows nothing of before
      addNotice(at, 'info', `terminal booted: ${event.model} firmware ${event.firmware}, TID ${event.tid}`);
      break;
  }
}

function onNetwork(message) {
  const row = el('tr', message.delivered ? '' : 'lost');
  row.dataset.mti = message.mti;
  const arrow = message.direction === 'request' ? 'terminal → host' : 'host → terminal';
  row.append(
    el('td', '', timeOf(message.at)),
    el('td', '', arrow),
    el('td', '', message.mti),
    el('td', '', message.stan ?? ''),
    el('td', '', message.responseCode ?? ''),
    el('td', '', message.fault ?? ''),
  );
  const body = $('#network tbody');
  body.prepend(row);
  while (body.children.length > 200) body.lastChild.remove();
}

const shown = new Map();
function onLedger({ ledger }) {
  const body = $('#ledger tbody');
  if (!ledger.visible) {
    const row = el('tr');
    row.append(Object.assign(el('td', 'empty', "this rig's bank does not show its accounts"), { colSpan: 3 }));
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(
    ...ledger.accounts.map((account) => {
      const row = el('tr');
      row.dataset.account = account.account;
      if (shown.has(account.account) && shown.get(account.account) !== account.minor) row.className = 'moved';
      shown.set(account.account, account.minor);
      const label = el('td', 'account', account.name);
      if (account.detail) label.append(el('span', 'detail', account.detail));
      const balance = el('td', 'num balance', account.balance);
      balance.dataset.minor = String(account.minor);
      const change = el('td', `num change ${account.change < 0 ? 'down' : account.change > 0 ? 'up' : ''}`);
      change.textContent = account.changeText;
      change.dataset.minor = String(account.change);
      row.append(label, balance, change);
      return row;
    }),
  );
  $('#journal tbody').replaceChildren(
    ...[...ledger.journal].reverse().map((entry) => {
      const row = el('tr', entry.posted ? 'posted' : 'unposted');
      row.dataset.kind = entry.kind;
      row.append(
        el('td', '', String(entry.id)),
        el('td', '', entry.reverses ? `${entry.kind} of #${entry.reverses}` : entry.kind),
        el('td', '', entry.stan ?? ''),
        el('td', '', entry.maskedPan ?? ''),
        el('td', 'num', entry.amount),
        el('td', '', entry.responseCode),
        el('td', '', entry.posted ? 'yes' : 'no'),
      );
      return row;
    }),
  );
}

let cardsShown = false;
function onStatus({ status }) {
  language = status.language;
  document.documentElement.lang = status.language;
  $('#chip-rig').textContent = `rig ${status.rig}`;
  $('#chip-tid').textContent = `TID ${status.tid}`;
  $('#chip-merchant').textContent = status.merchant;
  $('#currency').textContent = status.currency;
  $('#chip-power').dataset.power = status.power;
  $('#power-state').textContent = status.power === 'none' ? 'no power switch' : `power ${status.power}`;
  if (status.power === 'off' && $('#device').dataset.power !== 'off') showScreen([]); // no power, nothing shown
  $('#device').dataset.power = status.power;
  const printer = $('#printer-state');
  printer.dataset.state = status.printer;
  printer.textContent = status.printer === 'ok' ? 'paper loaded' : 'paper out';
  $('#armed').replaceChildren(...status.armed.map((what) => el('li', '', ` ${what}`)));
  for (const id of ['#fault-drop', '#fault-cut', '#heal']) $(id).disabled = !status.faults;
  for (const button of document.querySelectorAll('#card-methods button'))
    button.hidden = !status.methods.includes(button.dataset.method);
  if (!cardsShown) {
    cardsShown = true;
    $('#card').replaceChildren(
      ...status.cards.map((card) => {
        const option = el(
          'option',
          '',
          `${card.alias} · ${card.pan}${card.status === 'active' ? '' : ` (${card.status})`}`,
        );
        option.value = card.alias;
        return option;
      }),
    );
  }
}

// ---- the live stream ----

function clearShown() {
  showScreen([]);
  echo = [];
  renderEcho();
  $('#roll').replaceChildren(el('p', 'empty', 'No receipt printed yet.'));
  for (const id of ['#voice', '#results', '#notices', '#network tbody']) $(id).replaceChildren();
}

const events = new EventSource('/events');
const link = $('#chip-link');
events.addEventListener('open', () => {
  clearShown(); // the server replays everything to a new connection
  link.dataset.link = 'live';
  link.querySelector('b').textContent = 'live';
});
events.addEventListener('error', () => {
  link.dataset.link = 'lost';
  link.querySelector('b').textContent = 'reconnecting';
});
const handlers = { terminal: onTerminal, network: onNetwork, ledger: onLedger, status: onStatus };
for (const [kind, handle] of Object.entries(handlers)) {
  events.addEventListener(kind, (message) => handle(JSON.parse(message.data)));
}
events.addEventListener('reset', clearShown);
events.addEventListener('notice', (message) => {
  const notice = JSON.parse(message.data);
  addNotice(notice.at, notice.level, notice.text);
});
