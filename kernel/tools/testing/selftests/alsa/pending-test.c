// SPDX-License-Identifier: GPL-2.0
//
// pending-test: sound cards left behind and cards that must play
//
// A board that booted without one of its sound cards usually says nothing:
// the card's machine driver waits for a codec or a DAI that never came.
// ASoC lists what every such card waits for in /sys/kernel/debug/asoc/pending
// (Documentation/sound/soc/pending.rst). This test turns that list, a list
// of the cards the board must have and a short stream on every playback PCM
// into results:
//
//   pending.CARD.complete   one per card asoc/pending lists: fails, naming
//                           the components the card waits for
//   expected.CARD.present   one per card of pending-test.conf: fails when
//                           the card is missing, naming what it waits for
//                           when asoc/pending lists it
//   playback.ID_DEV.play    one per playback PCM device of every card:
//                           plays 1 s of silence and fails unless the
//                           hardware position moves by that much in 0.8 to
//                           3 times real time
//
// Cards and PCMs are only known at run time, and the harness adds fixture
// variants from constructors only: main() adds one variant per item the way
// FIXTURE_VARIANT_ADD() does, then runs the harness. A fixture with no item
// runs its test once with no variant, which passes or skips, saying why.
//
// pending-test.conf, in the directory of the executable (or the file
// $PENDING_TEST_CONF names), lists the cards the board is expected to have,
// one per line, by card id or name; words with spaces are double-quoted and
// '#' starts a comment:
//
//   card soctestcard nostream "soc-test-cpu has no PCM that runs"
//   card "Armada 370 DB Audio"
//
// nostream: the card must be there, but its PCMs cannot run here (a stand-in
// board whose DMA never advances): its playback tests are skipped, with the
// reason given after the word. asoc/pending knows a card by its name, not
// its id (made of the name's last word): a missing card named by its name
// is reported with what it waits for.
//
// $PENDING_TEST_PENDING names another file to read instead of asoc/pending
// (for testing the test); debugfs is then left alone. Otherwise debugfs is
// mounted for the time of the read when it is not and we are root.

#define _GNU_SOURCE		/* vasprintf() */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <alsa/asoundlib.h>

#include "../kselftest_harness.h"

#define DEBUGFS			"/sys/kernel/debug"
#define PENDING_FILE		DEBUGFS "/asoc/pending"
#define CONF_FILE		"pending-test.conf"

#define PLAY_RATE		48000
#define PLAY_PERIOD_US		10000	/* about 10 ms per period */
#define PLAY_PERIODS		8	/* a buffer of 8 periods */
/* The stream must take between 0.8 and 3 times real time. */
#define PLAY_FAST_PERCENT	80
#define PLAY_SLOW_PERCENT	300

/* A diagnostic line; flushed, as a test child ends with _exit(). */
#define diag(fmt, ...) do { \
	printf("# " fmt "\n", ##__VA_ARGS__); \
	fflush(stdout); \
} while (0)

/*
 * FAIL_TEST() - fail the running test with a diagnostic line and run
 * @statement (usually "return"), as SKIP() does for a skip.
 */
#define FAIL_TEST(statement, fmt, ...) do { \
	diag(fmt, ##__VA_ARGS__); \
	_metadata->passed = 0; \
	statement; \
} while (0)

/*
 * A card asoc/pending lists: the missing items of its lines, and the error
 * of its "error" line. A line that cannot be read is kept as one with bad
 * set, so that it fails too.
 */
struct pending_card {
	char *card;
	char *dev;
	char *waits;	/* "codec spdif-dit DAI dit-hifi (link spdif), ..." */
	char *error;	/* the error of the card's last bind, or NULL */
	char *bad;	/* why a line could not be read, or NULL */
};

/* A card line of pending-test.conf, or a line that could not be read. */
struct conf_card {
	char *card;
	bool nostream;
	char *reason;	/* why its streams cannot run */
	char *bad;	/* why the line could not be read, or NULL */
};

/* A playback PCM device, or a card whose control device did not open. */
struct pcm_dev {
	int card;
	int device;
	char *id;
	char *pcm;	/* the PCM's id [and name], as aplay -l shows them */
	char *test;	/* the test's name, for a skip (6.1 prints none) */
	char *bad;
};

/* A card that is there, as alsa-lib sees it. */
struct card {
	int index;
	char *id;
	char *name;
	char *longname;
};

/*
 * The variant of each test is one of these items: add_variant() adds the
 * item as the variant's data, whose only member it is.
 */
FIXTURE_VARIANT(pending) {
	struct pending_card item;
};

FIXTURE_VARIANT(expected) {
	struct conf_card item;
};

FIXTURE_VARIANT(playback) {
	struct pcm_dev item;
};

/* Arrays of what was found, each with its number of elements. */
static struct pending_card *pending_cards;
static int num_pending_cards;
static struct conf_card *conf_cards;
static int num_conf_cards;
static struct pcm_dev *pcms;
static int num_pcms;
static struct card *cards;
static int num_cards;

/*
 * append() - a new zeroed element at the end of the array *@arrayp of *@num
 * elements of @size bytes.
 */
static void *append(void *arrayp, int *num, size_t size)
{
	char **array = arrayp;
	char *p = realloc(*array, (*num + 1) * size);

	if (!p)
		ksft_exit_fail_msg("out of memory\n");
	*array = p;
	p += (*num)++ * size;
	memset(p, 0, size);

	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		ksft_exit_fail_msg("out of memory\n");

	return d;
}

/* xprintf() - a string of its own for a format (there is no __printf here) */
static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		ksft_exit_fail_msg("out of memory\n");

	return s;
}

/* A variant name: the harness prints fixture.variant.test. */
static char *variant_name(const char *s)
{
	char *name = xstrdup(s), *p;

	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			*p = '_';

	return name;
}

/*
 * add_variant() - run every test of fixture @f once more, with @data as
 * its variant. This is what FIXTURE_VARIANT_ADD() does from a constructor;
 * it must happen before test_harness_run() counts the tests. Returns the
 * variant's name.
 */
static const char *add_variant(struct __fixture_metadata *f,
			       const char *name, const void *data)
{
	struct __fixture_variant_metadata *v = calloc(1, sizeof(*v));

	if (!v)
		ksft_exit_fail_msg("out of memory\n");
	v->name = variant_name(name);
	v->data = data;
	__register_fixture_variant(f, v);

	return v->name;
}

/* --- asoc/pending ------------------------------------------------------ */

static const char *pending_path = PENDING_FILE;
static bool pending_read;	/* pending_cards is what the kernel listed */
static char *pending_why;	/* else why not */
/*
 * How the list was read, when that is worth a line: said by the pending
 * tests, as nothing may be printed before the harness's TAP header.
 */
static char *pending_note;

static struct pending_card *pending_find(const char *card, const char *dev)
{
	int i;

	for (i = 0; i < num_pending_cards; i++) {
		struct pending_card *pc = &pending_cards[i];

		if (pc->card && !strcmp(pc->card, card) &&
		    (!dev || !strcmp(pc->dev, dev)))
			return pc;
	}

	return NULL;
}

/* One line: card, device, role, key, dai, link, separated by tabs. */
static void pending_line(const char *line, int n)
{
	char *field[6], *copy, *p, *item, *dai, *link;
	struct pending_card *pc;
	int i;

	copy = xstrdup(line);
	p = copy;
	for (i = 0; i < 6 && p; i++)
		field[i] = strsep(&p, "\t");
	if (i < 6 || p) {
		pc = append(&pending_cards, &num_pending_cards, sizeof(*pending_cards));
		pc->bad = xprintf("%s:%d: not 6 tab-separated fields: \"%s\"",
				  pending_path, n, line);
		goto out;
	}

	pc = pending_find(field[0], field[1]);
	if (!pc) {
		pc = append(&pending_cards, &num_pending_cards, sizeof(*pending_cards));
		pc->card = xstrdup(field[0]);
		pc->dev = xstrdup(field[1]);
	}

	if (!strcmp(field[2], "error")) {
		free(pc->error);
		pc->error = xstrdup(field[3]);
		goto out;
	}

	dai = strcmp(field[4], "-") ? xprintf(" DAI %s", field[4]) : xstrdup("");
	link = strcmp(field[5], "-") ? xprintf(" (link %s)", field[5]) :
					 xstrdup("");
	item = xprintf("%s%s%s %s%s%s", pc->waits ?: "", pc->waits ? ", " : "",
		       field[2], field[3], dai, link);
	free(dai);
	free(link);
	free(pc->waits);
	pc->waits = item;
out:
	free(copy);
}

/*
 * debugfs_ready() - DEBUGFS is a debugfs mount, or was made one: then
 * *mounted says to unmount it after the read. Else pending_why says why.
 */
static bool debugfs_ready(bool *mounted)
{
	struct statfs sfs;

	*mounted = false;
	if (statfs(DEBUGFS, &sfs)) {
		pending_why = xprintf("no %s (%s): kernel without debugfs",
				      DEBUGFS, strerror(errno));
		return false;
	}
	if (sfs.f_type == DEBUGFS_MAGIC)
		return true;

	if (geteuid()) {
		pending_why = xprintf("debugfs is not mounted on %s (root could mount it)",
				      DEBUGFS);
		return false;
	}
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL)) {
		pending_why = xprintf("debugfs is not mounted on %s and mounting it failed: %s",
				      DEBUGFS, strerror(errno));
		return false;
	}
	pending_note = xprintf("debugfs was not mounted: mounted it on %s to read %s",
			       DEBUGFS, PENDING_FILE);
	*mounted = true;

	return true;
}

static void read_pending(void)
{
	bool mounted = false;
	size_t size = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f;
	int n = 0;

	if (getenv("PENDING_TEST_PENDING")) {
		pending_path = getenv("PENDING_TEST_PENDING");
		pending_note = xprintf("read %s instead of %s (PENDING_TEST_PENDING)",
				       pending_path, PENDING_FILE);
	} else if (!debugfs_ready(&mounted)) {
		return;
	}

	f = fopen(pending_path, "r");
	if (!f) {
		if (errno == ENOENT && !strcmp(pending_path, PENDING_FILE))
			pending_why = access(DEBUGFS "/asoc", F_OK) ?
				xstrdup("no " DEBUGFS "/asoc: the ASoC core is not loaded") :
				xstrdup("no " PENDING_FILE ": kernel without pending-card records");
		else
			pending_why = xprintf("cannot open %s: %s", pending_path,
					      strerror(errno));
		goto out;
	}

	while ((len = getline(&line, &size, f)) >= 0) {
		n++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len)
			pending_line(line, n);
	}
	if (ferror(f))
		pending_why = xprintf("cannot read %s", pending_path);
	else
		pending_read = true;
	free(line);
	fclose(f);
out:
	if (mounted && umount(DEBUGFS))
		pending_note = xprintf("%s; cannot unmount it: %s", pending_note,
				       strerror(errno));
}

/* The lines that say what card @pc waits for. */
static void pending_show(const struct pending_card *pc)
{
	if (pc->waits)
		diag("card %s waits for: %s", pc->card, pc->waits);
	if (pc->error)
		diag("card %s: its last bind failed with %s%s", pc->card,
		     pc->error, pc->waits ? "" : " (no component missing)");
	diag("card %s is registered by device %s", pc->card, pc->dev);
}

/* --- pending-test.conf ------------------------------------------------- */

static char *conf_path;
static char *conf_why;		/* why there are no expected cards */

/*
 * next_word() - the next word of *s, unquoted, or NULL at the end of the
 * line or a comment. A missing closing quote sets *bad.
 */
static char *next_word(char **s, bool *bad)
{
	char *p = *s, *word;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return NULL;

	if (*p == '"') {
		word = ++p;
		p = strchr(p, '"');
		if (!p) {
			*bad = true;
			return NULL;
		}
		*p++ = '\0';
	} else {
		word = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	*s = p;

	return word;
}

/* card ID-OR-NAME [nostream [REASON]] */
static void conf_line(const char *line, int n)
{
	struct conf_card *e;
	char *copy, *p, *word;
	bool bad = false;

	copy = xstrdup(line);
	p = copy;
	word = next_word(&p, &bad);
	if (!word && !bad)
		goto out;	/* empty, or a comment */

	e = append(&conf_cards, &num_conf_cards, sizeof(*conf_cards));
	if (bad || strcmp(word, "card"))
		goto bad_line;
	word = next_word(&p, &bad);
	if (!word)
		goto bad_line;
	e->card = xstrdup(word);

	word = next_word(&p, &bad);
	if (word && strcmp(word, "nostream")) {
		e->bad = xprintf("%s:%d: unknown word \"%s\" (known: nostream)",
				 conf_path, n, word);
		goto out;
	}
	if (word) {
		e->nostream = true;
		word = next_word(&p, &bad);
		e->reason = xstrdup(word ?: "its streams cannot run here");
		if (word && next_word(&p, &bad))
			bad = true;
	}
	if (!bad)
		goto out;

bad_line:
	e->bad = xprintf("%s:%d: not card ID-OR-NAME [nostream [\"REASON\"]]: %s",
			 conf_path, n, line);
out:
	free(copy);
}

static void read_conf(void)
{
	char exe[PATH_MAX], *dir, *line = NULL;
	struct conf_card *e;
	size_t size = 0;
	ssize_t len;
	FILE *f;
	int n = 0;

	if (getenv("PENDING_TEST_CONF")) {
		conf_path = xstrdup(getenv("PENDING_TEST_CONF"));
	} else {
		len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (len < 0)
			len = 0;
		exe[len] = '\0';
		dir = strrchr(exe, '/');
		if (dir)
			*dir = '\0';
		conf_path = xprintf("%s/%s", dir ? exe : ".", CONF_FILE);
	}

	f = fopen(conf_path, "r");
	if (!f && errno == ENOENT && !getenv("PENDING_TEST_CONF")) {
		conf_why = xprintf("no %s: no expected cards to check",
				   conf_path);
		return;
	}
	if (!f) {
		/* A file named on purpose must be there. */
		e = append(&conf_cards, &num_conf_cards, sizeof(*conf_cards));
		e->bad = xprintf("cannot open PENDING_TEST_CONF=%s: %s",
				 conf_path, strerror(errno));
		return;
	}

	while ((len = getline(&line, &size, f)) >= 0) {
		n++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		conf_line(line, n);
	}
	free(line);
	fclose(f);
	if (!num_conf_cards)
		conf_why = xprintf("%s lists no card", conf_path);
}

/* --- the cards that are there ------------------------------------------ */

/* Our own configuration: the test depends on no alsa.conf. */
static const char alsa_config_text[] =
	"ctl.hw {\n"
	"	@args [ CARD ]\n"
	"	@args.CARD.type string\n"
	"	type hw\n"
	"	card $CARD\n"
	"}\n"
	"pcm.hw {\n"
	"	@args [ CARD DEV SUBDEV ]\n"
	"	@args.CARD.type string\n"
	"	@args.DEV.type integer\n"
	"	@args.DEV.default 0\n"
	"	@args.SUBDEV.type integer\n"
	"	@args.SUBDEV.default -1\n"
	"	type hw\n"
	"	card $CARD\n"
	"	device $DEV\n"
	"	subdevice $SUBDEV\n"
	"}\n";

static snd_config_t *alsa_config;

static void load_alsa_config(void)
{
	snd_input_t *in;
	int err;

	err = snd_input_buffer_open(&in, alsa_config_text,
				    sizeof(alsa_config_text) - 1);
	if (!err)
		err = snd_config_top(&alsa_config);
	if (!err)
		err = snd_config_load(alsa_config, in);
	if (err < 0)
		ksft_exit_fail_msg("cannot load the alsa-lib configuration: %s\n",
				   snd_strerror(err));
	snd_input_close(in);
}

/* card_is() - the card @c is known as @word: by its id or a name */
static bool card_is(const struct card *c, const char *word)
{
	return !strcmp(c->id, word) || !strcmp(c->name, word) ||
	       !strcmp(c->longname, word);
}

static const struct card *card_find(const char *word)
{
	int i;

	for (i = 0; i < num_cards; i++)
		if (card_is(&cards[i], word))
			return &cards[i];

	return NULL;
}

/* The playback PCM devices of the card open as @ctl. */
static void find_pcms(snd_ctl_t *ctl, const struct card *c)
{
	struct pcm_dev *p;
	snd_pcm_info_t *info;
	int dev = -1, err;

	snd_pcm_info_alloca(&info);
	while (!snd_ctl_pcm_next_device(ctl, &dev) && dev >= 0) {
		snd_pcm_info_set_device(info, dev);
		snd_pcm_info_set_subdevice(info, 0);
		snd_pcm_info_set_stream(info, SND_PCM_STREAM_PLAYBACK);
		err = snd_ctl_pcm_info(ctl, info);
		if (err == -ENOENT)
			continue;	/* capture only */

		p = append(&pcms, &num_pcms, sizeof(*pcms));
		p->card = c->index;
		p->device = dev;
		p->id = c->id;
		if (err < 0)
			p->bad = xprintf("card %s device %d: snd_ctl_pcm_info(): %s",
					 c->id, dev, snd_strerror(err));
		else if (*snd_pcm_info_get_name(info))
			p->pcm = xprintf("%s [%s]", snd_pcm_info_get_id(info),
					 snd_pcm_info_get_name(info));
		else
			p->pcm = xstrdup(snd_pcm_info_get_id(info));
	}
}

static void find_cards(void)
{
	snd_ctl_card_info_t *info;
	int index = -1, err;
	snd_ctl_t *ctl;
	char hw[16];

	snd_ctl_card_info_alloca(&info);
	while (!snd_card_next(&index) && index >= 0) {
		struct card *c = append(&cards, &num_cards, sizeof(*cards));

		c->index = index;
		snprintf(hw, sizeof(hw), "hw:%d", index);
		err = snd_ctl_open_lconf(&ctl, hw, 0, alsa_config);
		if (!err) {
			err = snd_ctl_card_info(ctl, info);
			if (err < 0)
				snd_ctl_close(ctl);
		}
		if (err < 0) {
			struct pcm_dev *p = append(&pcms, &num_pcms, sizeof(*pcms));

			c->id = xprintf("card%d", index);
			c->name = c->id;
			c->longname = c->id;
			p->card = index;
			p->device = -1;
			p->id = c->id;
			p->bad = xprintf("card %d: cannot open its control device: %s",
					 index, snd_strerror(err));
			continue;
		}
		c->id = xstrdup(snd_ctl_card_info_get_id(info));
		c->name = xstrdup(snd_ctl_card_info_get_name(info));
		c->longname = xstrdup(snd_ctl_card_info_get_longname(info));
		find_pcms(ctl, c);
		snd_ctl_close(ctl);
	}
}

/* The configuration line that says nostream for ALSA card @index. */
static const struct conf_card *conf_nostream(int index)
{
	int i, j;

	for (i = 0; i < num_cards; i++) {
		if (cards[i].index != index)
			continue;
		for (j = 0; j < num_conf_cards; j++)
			if (conf_cards[j].card && conf_cards[j].nostream &&
			    card_is(&cards[i], conf_cards[j].card))
				return &conf_cards[j];
	}

	return NULL;
}

/* --- the tests --------------------------------------------------------- */

FIXTURE(pending) {
	int unused;
};

FIXTURE_SETUP(pending)
{
}

FIXTURE_TEARDOWN(pending)
{
}

/* A card that waits for components fails, naming them. */
TEST_F(pending, complete)
{
	const struct pending_card *pc = variant ? &variant->item : NULL;

	if (pending_note)
		diag("%s", pending_note);
	if (!pc) {
		if (!pending_read)
			SKIP(return, "pending.complete: %s", pending_why);
		diag("no card waits for components (%s is empty)", pending_path);
		return;
	}

	if (pc->bad)
		FAIL_TEST(return, "%s", pc->bad);
	pending_show(pc);
	_metadata->passed = 0;
}

FIXTURE(expected) {
	int unused;
};

FIXTURE_SETUP(expected)
{
}

FIXTURE_TEARDOWN(expected)
{
}

/* A card the board must have is there; if not, what it waits for. */
TEST_F(expected, present)
{
	const struct conf_card *e = variant ? &variant->item : NULL;
	const struct pending_card *pc = NULL;
	const struct card *c;
	int i;

	if (!e)
		SKIP(return, "expected.present: %s", conf_why);
	if (e->bad)
		FAIL_TEST(return, "%s", e->bad);

	c = card_find(e->card);
	if (c) {
		diag("card %s is card %d: %s [%s]", e->card, c->index, c->id,
		     c->name);
		return;
	}

	diag("expected card %s is missing", e->card);
	/* asoc/pending names the card by its name, not its id */
	for (i = 0; i < num_pending_cards && !pc; i++)
		if (pending_cards[i].card &&
		    !strcmp(pending_cards[i].card, e->card))
			pc = &pending_cards[i];
	if (pc)
		pending_show(pc);
	else if (pending_read)
		diag("%s does not list it: its machine driver did not register it",
		     pending_path);
	else
		diag("what it waits for is unknown: %s", pending_why);
	_metadata->passed = 0;
}

FIXTURE(playback) {
	snd_pcm_t *pcm;
	void *silence;
};

FIXTURE_SETUP(playback)
{
}

FIXTURE_TEARDOWN(playback)
{
	if (self->pcm)
		snd_pcm_close(self->pcm);
	free(self->silence);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);

	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start @pcm if it is prepared, noting in *@t0 when the first start was. */
static int start_prepared(snd_pcm_t *pcm, double *t0)
{
	if (snd_pcm_state(pcm) != SND_PCM_STATE_PREPARED)
		return 0;
	if (!*t0)
		*t0 = now();

	return snd_pcm_start(pcm);
}

/*
 * set_params() - S16_LE (or the first of a few other formats the PCM
 * has), 2 channels, 48000 Hz or the nearest rate, periods of about 10 ms,
 * a buffer of 8 of them; starts when told to. Returns 0 or the error, with
 * what failed in @what.
 */
static int set_params(snd_pcm_t *pcm, snd_pcm_format_t *format,
		      unsigned int *channels, unsigned int *rate,
		      snd_pcm_uframes_t *period, snd_pcm_uframes_t *buffer,
		      const char **what)
{
	static const snd_pcm_format_t formats[] = {
		SND_PCM_FORMAT_S16_LE, SND_PCM_FORMAT_S32_LE,
		SND_PCM_FORMAT_S24_LE, SND_PCM_FORMAT_S24_3LE,
		SND_PCM_FORMAT_S16_BE, SND_PCM_FORMAT_S32_BE,
	};
	unsigned int periods = PLAY_PERIODS, us = PLAY_PERIOD_US;
	snd_pcm_uframes_t boundary;
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	unsigned int i;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);

	*what = "snd_pcm_hw_params_any()";
	err = snd_pcm_hw_params_any(pcm, hw);
	if (err < 0)
		return err;
	*what = "access RW_INTERLEAVED";
	err = snd_pcm_hw_params_set_access(pcm, hw,
					   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err < 0)
		return err;
	*what = "a format (S16_LE, S32_LE, S24_LE, S24_3LE, S16_BE, S32_BE)";
	err = -EINVAL;
	for (i = 0; i < ARRAY_SIZE(formats) && err; i++) {
		*format = formats[i];
		err = snd_pcm_hw_params_set_format(pcm, hw, *format);
	}
	if (err < 0)
		return err;
	*what = "2 channels or near";
	*channels = 2;
	err = snd_pcm_hw_params_set_channels_near(pcm, hw, channels);
	if (err < 0)
		return err;
	*what = "48000 Hz or near";
	*rate = PLAY_RATE;
	err = snd_pcm_hw_params_set_rate_near(pcm, hw, rate, NULL);
	if (err < 0)
		return err;
	*what = "a period of about 10 ms";
	err = snd_pcm_hw_params_set_period_time_near(pcm, hw, &us, NULL);
	if (err < 0)
		return err;
	*what = "8 periods or near";
	err = snd_pcm_hw_params_set_periods_near(pcm, hw, &periods, NULL);
	if (err < 0)
		return err;
	*what = "snd_pcm_hw_params()";
	err = snd_pcm_hw_params(pcm, hw);
	if (err < 0)
		return err;
	snd_pcm_hw_params_get_period_size(hw, period, NULL);
	snd_pcm_hw_params_get_buffer_size(hw, buffer);

	/* Started by hand once the buffer is full; stops on underrun. */
	*what = "snd_pcm_sw_params()";
	err = snd_pcm_sw_params_current(pcm, sw);
	if (!err)
		err = snd_pcm_sw_params_get_boundary(sw, &boundary);
	if (!err)
		err = snd_pcm_sw_params_set_start_threshold(pcm, sw, boundary);
	if (!err)
		err = snd_pcm_sw_params_set_stop_threshold(pcm, sw, *buffer);
	if (!err)
		err = snd_pcm_sw_params_set_avail_min(pcm, sw, *period);
	if (!err)
		err = snd_pcm_sw_params(pcm, sw);

	return err;
}

/*
 * played() - the frames the hardware has played of the @written ones:
 * those not still queued (snd_pcm_delay()), or all after an underrun.
 */
static long played(snd_pcm_t *pcm, long written)
{
	snd_pcm_sframes_t delay;

	if (snd_pcm_state(pcm) == SND_PCM_STATE_XRUN ||
	    snd_pcm_state(pcm) == SND_PCM_STATE_SETUP)
		return written;
	if (snd_pcm_delay(pcm, &delay) < 0)
		return -1;

	return written - (delay > 0 ? delay : 0);
}

/*
 * 1 s of silence, written as the hardware takes it, then drained: the
 * drain must end, every frame played, between 0.8 and 3 times real time
 * after the stream started. The device is opened non-blocking, so that a
 * position that never moves fails here at the limit, not at the harness's
 * timeout. An underrun (the test late, not the hardware: everything written
 * was played) is counted, and the stream prepared and started again.
 */
TEST_F_TIMEOUT(playback, play, 30)
{
	const struct pcm_dev *p = variant ? &variant->item : NULL;
	const struct conf_card *conf;
	snd_pcm_uframes_t period, buffer;
	long total, written = 0, done;
	double t0 = 0, limit, elapsed;
	unsigned int channels, rate;
	snd_pcm_format_t format;
	snd_pcm_sframes_t n;
	int err, underruns = 0;
	const char *what;
	char dev[32];

	if (!p)
		SKIP(return, "playback.play: no card has a playback PCM");
	if (p->bad)
		FAIL_TEST(return, "%s", p->bad);
	snprintf(dev, sizeof(dev), "hw:%d,%d", p->card, p->device);
	conf = conf_nostream(p->card);
	if (conf)
		SKIP(return, "%s: %s (card %s, %s): nostream in %s: %s",
		     p->test, dev, p->id, p->pcm, conf_path,
		     conf->reason);

	err = snd_pcm_open_lconf(&self->pcm, dev, SND_PCM_STREAM_PLAYBACK,
				 SND_PCM_NONBLOCK, alsa_config);
	if (err < 0) {
		self->pcm = NULL;
		FAIL_TEST(return, "%s (card %s, %s): cannot open: %s", dev,
			  p->id, p->pcm, snd_strerror(err));
	}
	err = set_params(self->pcm, &format, &channels, &rate, &period,
			 &buffer, &what);
	if (err < 0)
		FAIL_TEST(return, "%s (card %s, %s): %s: %s", dev, p->id,
			  p->pcm, what, snd_strerror(err));
	diag("%s (card %s, %s): %s, %u channels, %u Hz, period %lu, buffer %lu frames",
	     dev, p->id, p->pcm, snd_pcm_format_name(format),
	     channels, rate, period, buffer);

	self->silence = calloc(period, snd_pcm_frames_to_bytes(self->pcm, 1));
	if (!self->silence)
		FAIL_TEST(return, "out of memory");
	snd_pcm_format_set_silence(format, self->silence, period * channels);

	total = rate;
	limit = PLAY_SLOW_PERCENT / 100.0;
	while (written < total && (!t0 || now() - t0 <= limit)) {
		n = snd_pcm_avail_update(self->pcm);
		if (n == -EPIPE) {
			underruns++;
			err = snd_pcm_prepare(self->pcm);
			if (err < 0)
				FAIL_TEST(return, "%s: snd_pcm_prepare() after an underrun: %s",
					  dev, snd_strerror(err));
			continue;
		}
		if (n < 0)
			FAIL_TEST(return, "%s: snd_pcm_avail_update(): %s", dev,
				  snd_strerror(n));
		if (n > (snd_pcm_sframes_t)period)
			n = period;
		if (n > total - written)
			n = total - written;

		if (n) {
			n = snd_pcm_writei(self->pcm, self->silence, n);
			if (n > 0)
				written += n;
			else if (n != -EAGAIN && n != -EPIPE)
				FAIL_TEST(return, "%s: snd_pcm_writei(): %s",
					  dev, snd_strerror(n));
			continue;
		}

		/* The buffer is full: run, and wait for room. */
		err = start_prepared(self->pcm, &t0);
		if (err < 0)
			FAIL_TEST(return, "%s: snd_pcm_start(): %s", dev,
				  snd_strerror(err));
		snd_pcm_wait(self->pcm, 100);
	}

	/* What is left, less than a buffer, runs too. */
	err = start_prepared(self->pcm, &t0);
	if (err < 0)
		FAIL_TEST(return, "%s: snd_pcm_start(): %s", dev,
			  snd_strerror(err));

	/* Non-blocking, the drain returns -EAGAIN and goes on alone. */
	if (written == total) {
		err = snd_pcm_drain(self->pcm);
		if (err < 0 && err != -EAGAIN)
			FAIL_TEST(return, "%s: snd_pcm_drain(): %s", dev,
				  snd_strerror(err));
		while (snd_pcm_state(self->pcm) == SND_PCM_STATE_DRAINING &&
		       now() - t0 <= limit) {
			played(self->pcm, written);	/* syncs the position */
			usleep(2000);
		}
	}
	elapsed = now() - t0;
	done = played(self->pcm, written);

	if (written < total || snd_pcm_state(self->pcm) != SND_PCM_STATE_SETUP)
		FAIL_TEST(return,
			  "%s: the hardware played %ld of %ld frames in %.2f s (limit %.2f s, %d underruns): its position %s",
			  dev, done, total, elapsed, limit, underruns,
			  done > 0 ? "moves too slowly" : "does not move");

	diag("%s: %ld frames played in %.2f s (limits %.2f-%.2f s), %d underruns",
	     dev, total, elapsed, PLAY_FAST_PERCENT / 100.0, limit, underruns);
	if (elapsed * 100 < PLAY_FAST_PERCENT)
		FAIL_TEST(return, "%s: 1 s of frames played in %.2f s: faster than real time",
			  dev, elapsed);
}

int main(int argc, char **argv)
{
	int i;

	load_alsa_config();
	read_pending();
	read_conf();
	find_cards();

	for (i = 0; i < num_pending_cards; i++)
		add_variant(&_pending_fixture_object,
			    pending_cards[i].card ?: "asoc_pending",
			    &pending_cards[i]);
	for (i = 0; i < num_conf_cards; i++)
		add_variant(&_expected_fixture_object,
			    conf_cards[i].card ?: "config", &conf_cards[i]);
	for (i = 0; i < num_pcms; i++) {
		char *name = xprintf("%s_%d", pcms[i].id, pcms[i].device);

		pcms[i].test = xprintf("playback.%s.play",
				       add_variant(&_playback_fixture_object,
						   name, &pcms[i]));
		free(name);
	}

	return test_harness_run(argc, argv);
}
