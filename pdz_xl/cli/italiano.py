"""The command line in Italian, toolkit included.

Typer vendors its click with English text written into the code (no gettext catalog to
install), so the Italian comes from two classes used for every command and group:

- the help: usage line («Uso:»), sections («Argomenti», «Opzioni», «Comandi»), the help
  option, metavars (``FILE...``, ``N``, ``vuote|tutto``; never ``<list[Path]>``) and the
  bracketed extras («predefinito», «obbligatorio», «almeno 1») are written here;
- the errors: the root group runs the toolkit with ``standalone_mode=False`` and prints
  every usage error in Italian from the exception's own fields (which parameter, which
  option, which values), never from its English message.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "Mostra questo aiuto ed esce."
USAGE_PREFIX = "Uso: "


class ItalianValueError(_click.exceptions.BadParameter):
    """A bad value whose message is already Italian (raised by the CLI's own parsers)."""


class ItalianUsageError(_click.exceptions.UsageError):
    """A usage error whose message is already Italian."""


def metavar(param: Any) -> str:
    """The Italian placeholder of a parameter in help and usage."""
    if param.metavar:
        return param.metavar
    desc = param.type_descriptor
    many = desc.is_list or param.nargs == -1
    element = desc.annotation.__args__[0] if desc.is_list else desc.annotation
    if desc.is_choice:
        label = "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    elif desc.is_path or desc.is_file or element is Path:
        label = "FILE" if param.param_type_name == "argument" else "PERCORSO"
    elif desc.is_datetime:
        label = "AAAA-MM-GG"
    else:
        label = {int: "N", float: "NUMERO"}.get(element, "TESTO")
    return label + ("..." if many else "")


def _range_text(param: Any) -> str | None:
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return f"da {lo} a {hi}"
    if lo is not None:
        return f"almeno {lo}"
    if hi is not None:
        return f"al massimo {hi}"
    return None


def _default_text(param: Any, ctx: _click.Context) -> str | None:
    if getattr(param, "is_flag", False) or not param.show_default:
        return None
    if isinstance(param.show_default, str):
        return param.show_default
    resilient, ctx.resilient_parsing = ctx.resilient_parsing, True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if value is None or value in ("", (), []) or callable(value):
        return None
    return str(getattr(value, "value", value))


def help_record(param: Any, ctx: _click.Context) -> tuple[str, str] | None:
    """(names, help) of one parameter, in Italian."""
    if getattr(param, "hidden", False):
        return None
    if param.param_type_name == "argument":
        names = metavar(param)
    else:
        names = ", ".join(sorted([*param.opts, *param.secondary_opts],
                                 key=lambda o: o.startswith("--")))
        if not param.is_flag:
            names += f" {metavar(param)}"
    extra = []
    default = _default_text(param, ctx)
    if default:
        extra.append(f"predefinito: {default}")
    rng = _range_text(param)
    if rng:
        extra.append(rng)
    if param.required:
        extra.append("obbligatorio")
    text = param.help or ""
    if extra:
        text = f"{text}  [{'; '.join(extra)}]" if text else f"[{'; '.join(extra)}]"
    return names, text


class _ItalianHelp:
    """Help pages and errors in Italian; mixed into the command and group classes."""

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        pieces = ["[OPZIONI]"]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                pieces.append(metavar(param) if param.required else f"[{metavar(param)}]")
        return pieces

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=USAGE_PREFIX)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        # always the plain layout written here, never typer's rich panels
        _click.Command.format_help(self, ctx, formatter)  # type: ignore[arg-type]

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        records: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = help_record(param, ctx)
            if record is not None:
                records[param.param_type_name].append(record)
        for kind, title in (("argument", "Argomenti"), ("option", "Opzioni")):
            if records[kind]:
                with formatter.section(title):
                    formatter.write_dl(records[kind])

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var,  # type: ignore[misc]
                                standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var,  # type: ignore[misc]
                              standalone_mode=False, **extra)
        except _click.exceptions.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help(), err=True)
            sys.exit(exc.exit_code)
        except _click.exceptions.ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("interrotto.", err=True)
            sys.exit(1)
        except ModuleNotFoundError as exc:
            package = (exc.name or "?").split(".")[0]
            typer.echo(f"errore: manca il pacchetto Python «{package}»; installarlo con "
                       "«bash scripts/setup.sh» (oppure «pip install 'pdz-xl[fast,addin]'»).",
                       err=True)
            sys.exit(2)
        sys.exit(rv if isinstance(rv, int) else 0)


class ItalianCommand(_ItalianHelp, TyperCommand):
    """A command whose help and errors are Italian."""


class ItalianGroup(_ItalianHelp, TyperGroup):
    """A group of commands whose help and errors are Italian."""

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd))
        if rows:
            limit = formatter.width - 6 - max(len(n) for n, _ in rows)
            with formatter.section("Comandi"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), "COMANDO [ARGOMENTI]..."]

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> Any:
        name = args[0]
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing \
                and not name.startswith("-"):
            visible = [n for n, c in self.commands.items() if not c.hidden]
            close = get_close_matches(name, visible)
            hint = f"; forse {', '.join(f'«{m}»' for m in close)}?" if close else \
                f"; i comandi sono: {', '.join(visible)}."
            raise ItalianUsageError(f"comando sconosciuto «{name}»{hint}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        if not ctx._protected_args and not self.invoke_without_command:
            raise ItalianUsageError("manca il comando.", ctx)
        return super().invoke(ctx)


def _param_name(param: Any) -> str:
    if param.param_type_name == "argument":
        return metavar(param).rstrip(".")
    return "/".join(param.opts)


def _type_reason(param: Any) -> str:
    """Why a value the toolkit refused is wrong, from the parameter's type."""
    desc = param.type_descriptor
    if desc.is_choice:
        return "valori ammessi: " + ", ".join(str(getattr(c, "value", c))
                                               for c in desc.choices or ())
    if desc.is_path:
        return "il percorso non esiste o non è utilizzabile"
    if desc.is_datetime:
        return "serve una data AAAA-MM-GG"
    base = desc.annotation
    rng = _range_text(param)
    if base is int:
        return "serve un numero intero" + (f" ({rng})" if rng else "")
    if base is float:
        return "serve un numero" + (f" ({rng})" if rng else "")
    return "valore non ammesso"


def error_text(exc: _click.exceptions.ClickException) -> str:
    """The Italian sentence for a toolkit error, built from its fields."""
    e = _click.exceptions
    if isinstance(exc, e.MissingParameter) and exc.param is not None:
        kind = "l'argomento" if exc.param.param_type_name == "argument" else "l'opzione"
        return f"manca {kind} {_param_name(exc.param)}."
    if isinstance(exc, ItalianValueError) and exc.param is not None:
        return f"valore non valido per {_param_name(exc.param)}: {exc.message}"
    if isinstance(exc, e.BadParameter) and exc.param is not None:
        return f"valore non valido per {_param_name(exc.param)}: {_type_reason(exc.param)}."
    if isinstance(exc, e.NoSuchOption):
        close = sorted(exc.possibilities or ())
        hint = f"; forse {', '.join(close)}?" if close else "."
        return f"opzione sconosciuta {exc.option_name}{hint}"
    if isinstance(exc, e.BadOptionUsage):
        if "does not take" in exc.message:
            return f"l'opzione {exc.option_name} non vuole un valore."
        return f"l'opzione {exc.option_name} vuole un valore."
    if isinstance(exc, e.FileError):
        return f"non si riesce ad aprire il file {exc.ui_filename}."
    if exc.message.startswith("Got unexpected extra argument"):
        extra = exc.message.rpartition(" (")[2].rstrip(")")
        return f"argomenti in più: {extra}."
    if isinstance(exc, e.BadArgumentUsage):
        return "numero di valori sbagliato per un argomento."
    if isinstance(exc, ItalianUsageError):
        return exc.message
    if isinstance(exc, e.BadParameter):
        return f"valore non valido: {exc.message}"
    return "uso non corretto del comando."


def show_error(exc: _click.exceptions.ClickException) -> None:
    """Usage line, where to find help, and the Italian error, on stderr."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"Aiuto: {ctx.command_path} --help\n", err=True)
    typer.echo(f"errore: {error_text(exc)}", err=True)


def italianise(app: typer.Typer) -> None:
    """Use the Italian classes for ``app``, its commands and its sub-groups."""
    app.info.cls = ItalianGroup
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = ItalianCommand
    for group in app.registered_groups:
        if group.cls in (None, TyperGroup) or not isinstance(group.cls, type):
            group.cls = ItalianGroup
        if group.typer_instance is not None:
            italianise(group.typer_instance)
