// The only C in assure: what Swift cannot import from ncursesw directly.
#ifndef ASSURE_CNCURSESW_SHIM_H
#define ASSURE_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, which hides the wide-character API.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <signal.h>
#include <unistd.h>
#include <curses.h>

// C globals Swift 6 refuses to read.
static inline WINDOW *assure_stdscr(void) { return stdscr; }
static inline int assure_colors(void) { return COLORS; }
static inline int assure_color_pairs(void) { return COLOR_PAIRS; }
static inline int assure_lines(void) { return LINES; }
static inline int assure_cols(void) { return COLS; }
static inline FILE *assure_stdin(void) { return stdin; }
static inline FILE *assure_stdout(void) { return stdout; }

// Macros.
static inline attr_t assure_a_normal(void) { return A_NORMAL; }
static inline attr_t assure_a_bold(void) { return A_BOLD; }
static inline attr_t assure_a_dim(void) { return A_DIM; }
static inline attr_t assure_a_underline(void) { return A_UNDERLINE; }
static inline attr_t assure_a_reverse(void) { return A_REVERSE; }
static inline attr_t assure_a_italic(void) {
#ifdef A_ITALIC
    return A_ITALIC;
#else
    return A_NORMAL;
#endif
}
static inline int assure_key_f(int n) { return KEY_F(n); }
static inline void assure_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }

static inline mmask_t assure_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t assure_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t assure_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t assure_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t assure_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t assure_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}
static inline mmask_t assure_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }

static inline int assure_wcwidth(wchar_t c) { return wcwidth(c); }

// Draws one grapheme (up to a few code points: a base and combining marks) at (y, x).
static inline int assure_put_grapheme(WINDOW *w, int y, int x, const wchar_t *chars, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, (short)0, &pair) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}

static inline int assure_is_utf8_locale(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't');
}

// Unblocks the signals the terminal must see: a process started from a Swift concurrency
// thread can inherit them blocked.
static inline void assure_unblock_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT); sigaddset(&set, SIGTERM); sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH); sigaddset(&set, SIGTSTP); sigaddset(&set, SIGCONT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

// Set by the handler; read by the input loop, which then quits cleanly through endwin.
static volatile sig_atomic_t assure_pending_signal = 0;
static inline void assure_on_signal(int sig) { assure_pending_signal = sig; }
static inline void assure_install_quit_handlers(void) {
    struct sigaction action;
    action.sa_handler = assure_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: interrupt the blocking read so the loop notices
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}
static inline int assure_take_signal(void) { int s = assure_pending_signal; assure_pending_signal = 0; return s; }
static inline int assure_peek_signal(void) { return assure_pending_signal; }

// Stops the process with the default SIGTSTP action (the shell's job control), then returns.
static inline void assure_stop_self(void) {
    struct sigaction action, old;
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGTSTP, &action, &old);
    kill(getpid(), SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
}
#endif
