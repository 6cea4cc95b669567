--[[
Word output from Quarto: each figure as a picture with its alt text, not in a layout table.

Quarto (1.7) writes a Word figure as a one-cell table holding the picture and its caption, and
leaves the picture's description empty: a screen reader meets a table and an unnamed picture. This
filter runs after Quarto's own (`at: post-render` in _quarto.yml): it takes the figure out of its
table, keeping its bookmark (the figure's identifier, which cross-references point at), and gives
the picture the figure's alt text (its `fig-alt`, as the web page has it). jsna-kit's pandoc
fallback writes Word figures without a table, with their alt text, already.
]]

local function with_alt(block, alt)
  return block:walk({
    Image = function(img)
      local text = img.attributes["fig-alt"] or alt
      if text and text ~= "" and #img.caption == 0 then
        img.caption = pandoc.Inlines({ pandoc.Str(text) })
      end
      img.attributes["fig-alt"] = nil
      return img
    end,
  })
end

function Table(t)
  if not FORMAT:match("docx") or #t.bodies ~= 1 or #t.bodies[1].body ~= 1 then
    return nil
  end
  local cells = t.bodies[1].body[1].cells
  if #cells ~= 1 or #cells[1].contents ~= 1 then
    return nil
  end
  local figure = cells[1].contents[1]
  if figure.t ~= "Div" or not figure.identifier:match("^fig%-") then
    return nil
  end
  return with_alt(figure, figure.attributes["fig-alt"])
end
