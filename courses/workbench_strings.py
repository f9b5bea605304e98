"""The lesson workbench's words, translated by Django and handed to its JavaScript as data.

Placeholders in braces ({line}, {name}) are filled in by the page. Error explanations are for
a 12-year-old: what went wrong on which line and what to try, never a finished program."""

from functools import cache

from django.utils import translation
from django.utils.translation import pgettext_lazy


def _(text):
    # A context of their own: short words such as "Run" or "Saved" mean something else elsewhere
    # on the site (a job "Running" is 正在处理; on the board it is 运行中).
    return pgettext_lazy("workbench", text)


ERRORS = {
    "where": _("Line {line}: "),
    "where_file": _("{file}, line {line}: "),
    "name": _("there is nothing called {name}. Is it misspelled?"),
    "attribute": _("{type} has no {name}. Check the spelling, upper and lower case too."),
    "import": _("there is no module called {name}. Check the name on the import line."),
    "indent": _("the spaces at the start of this line don't match the lines around it."),
    "syntax": _("Python can't read this line. Look for a missing colon, bracket or quote mark."),
    "input_only_pin": _("GPIO {pin} can only read (input). Use another pin for an LED or a motor."),
    "flash_pin": _("GPIO {pin} is used by the board's memory chip. Use another pin."),
    "no_such_pin": _("the ESP32 has no GPIO {pin}. Look at the pin numbers on your board."),
    "arguments": _("a function got too many or too few values in its brackets."),
    "types": _("these two kinds of values can't be combined (for example text and a number)."),
    "type": _("a value of the wrong kind was used here."),
    "zero_division": _("you divided by zero."),
    "i2c_missing": _("nothing answers on the I2C wires. Check the SDA and SCL pins."),
    "sensor_timeout": _("the sensor did not answer. Check its wire and its pin."),
    "index": _("there is no item with this number or key in the list or dictionary."),
    "other": _("the program stopped with an error ({type})."),
}

CHECKS = {
    "at": _("At {seconds} s: "),
    "all_passed": _("Well done: your program does everything this lesson expects."),
    "some_failed": _("{n} thing(s) are not right yet. {hint}"),
    "hint": _("Read the steps of the lesson again: they give hints."),
    "hint_from_step": _("Hint from step {number}, “{heading}”: "),
    "see_step": _("Read step {number}"),
    "runs_without_error": _("The program runs without an error"),
    "crashed": _("the program stopped with an error (see below)."),
    "never_sleeps": _(
        "the program never waits (no sleep), so it never gave the board a moment. Add a time.sleep."
    ),
    "wrong_interval": _(
        "GPIO {pin} changed after {got_ms} ms; it should change every {want_ms} ms (± {tolerance_pct} %)."
    ),
    "stopped_toggling": _("GPIO {pin} stopped changing; it should change every {want_ms} ms."),
    "too_few_toggles": _("GPIO {pin} changed {count} times; it should change at least {min} times."),
    "sequence_never_started": _("none of the lights came on."),
    "wrong_state": _("step {step}: the lights showed “{got}” but should show “{want}”."),
    "wrong_duration": _("“{state}” lasted {got_ms} ms; it should last {want_ms} ms (± {tolerance_pct} %)."),
    "sequence_incomplete": _("the sequence did not get to the end ({done} of {want} steps)."),
    "signal_never_set": _("{signal} was never set."),
    "out_of_range": _("{signal} was {value}, outside {min} – {max}."),
    "never_low_enough": _("{signal} never got down to {want} (lowest: {value})."),
    "never_high_enough": _("{signal} never got up to {want} (highest: {value})."),
    "too_few_steps": _("{signal} took only {count} different values; at least {min} are needed."),
    "ended_too_early": _("the program ended before {t_ms} ms."),
    "wrong_value_at": _("{signal} was {got}; it should be between {min} and {max}."),
    "too_few_notes": _("only {count} of the {want} notes were played."),
    "wrong_note": _("note {number} was {got} Hz; it should be {want} Hz."),
    "missing_print": _("the serial console never showed “{text}”."),
    "no_frames": _("the NeoPixels on GPIO {pin} never showed any colours."),
    "wrong_pixel_count": _("{got} NeoPixels were set; the ring has {want}."),
    "too_few_frames": _("the NeoPixels changed only {count} times; at least {min} are needed."),
    "frames_not_changing": _("the NeoPixel colours never change."),
    "no_oled_frames": _("nothing was sent to the OLED screen."),
    "oled_blank": _("the OLED screen stayed dark (is it switched on and is something drawn?)."),
    "bad_http_answer": _("the board's answer did not start with HTTP {want}."),
    "too_few_http_answers": _("the board answered {count} web requests; it should answer {min}."),
    "other": _("this is not right yet."),
}

PARTS = {
    "led": _("LED"),
    "button": _("Button"),
    "press": _("Press"),
    "buzzer": _("Buzzer"),
    "servo": _("Servo"),
    "neopixel": _("NeoPixel ring"),
    "oled": _("OLED 128×64"),
    "potentiometer": _("Knob (potentiometer)"),
    "light": _("Light sensor"),
    "temperature": _("Temperature"),
    "humidity": _("Humidity"),
    "unplugged": _("Unplug the sensor"),
    "ultrasonic": _("Ultrasonic sensor"),
    "distance": _("Distance"),
    "wifi": _("Wi-Fi: the board's web page"),
    "address": _("Address"),
    "visit": _("Open"),
    "web_page": _("The page the board serves"),
}

STATES = {
    "idle": _("Ready"),
    "starting": _("Starting MicroPython…"),
    "running": _("Running"),
    "stopped": _("Stopped"),
    "finished": _("The program ended"),
    "crashed": _("The program stopped with an error"),
    "checking": _("Checking…"),
    "passed": _("Check passed"),
    "failed": _("Check: not right yet"),
    "broken": _("The virtual board could not start in this browser"),
}

OTHER = {
    "gpio": _("GPIO {pin}"),
    "editor": _("Program code"),
    "sound_on": _("🔊 Sound on"),
    "sound_off": _("🔇 Sound off"),
    "original_message": _("Original message"),
    "saved": _("Saved"),
    "saving": _("Saving…"),
    "unsaved": _("Not saved yet"),
    "save_failed": _("Could not save: check the connection"),
    "not_saved_anonymous": _("Log in to keep your code; you can still edit and run it."),
    "versions": _("Earlier versions…"),
    "confirm_reset": _("Put back the lesson's code? Your code stays in the earlier versions."),
}


def workbench_strings() -> dict:
    """Every string the page's JavaScript shows, in the current language (read-only: it is shared)."""
    return _strings_in(translation.get_language())


@cache  # the catalogues do not change while a process runs; one dict per language
def _strings_in(language) -> dict:
    with translation.override(language):
        return _strings()


def _strings() -> dict:
    def text(group):
        return {key: str(value) for key, value in group.items()}

    return {
        **text(OTHER),
        "errors": text(ERRORS),
        "checks": text(CHECKS),
        "parts": text(PARTS),
        "state": text(STATES),
    }
